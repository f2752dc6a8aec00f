"""Official documents: records, the editor with its page preview, .docx/PDF downloads, the export command."""
