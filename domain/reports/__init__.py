"""Report rounds: asking units for results, their submissions, the aggregated Báo cáo."""
