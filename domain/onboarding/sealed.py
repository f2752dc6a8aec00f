"""Sealing the one-time passwords for the one browser that asked for them (X25519 + HKDF-SHA256 + AES-GCM).

Why: the worker makes the passwords and must hand them to the administrator's printable slips, across the
database. Kept there in plain text, they would sit in the job row (and in every backup taken meanwhile) until
someone remembered to wipe them. Instead the confirming request makes a key pair: the public half goes into the
job's parameters, the private half only into that administrator's session (the signed cookie of their browser).
The worker encrypts the slips to the public key; the database and its backups hold ciphertext that nobody can
open without that browser's cookie, and the plain passwords exist only in the worker's memory and on the page.
When the session ends (sign-out, the browser closed), or the administrator says the slips are printed, the
passwords are gone for good: a lost slip means setting a new password on the Người dùng page, as before.

    new_key_pair()                  (private, public), both URL-safe base64 text
    seal(public, data)              ciphertext text that only the private key opens
    open_sealed(private, sealed)    the data again; SealBroken if the key is not the one it was sealed for
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_RAW = {"encoding": serialization.Encoding.Raw, "format": serialization.PublicFormat.Raw}
_INFO = b"vanban onboarding slips"
_NONCE = 12
_KEY = 32


class SealBroken(Exception):
    """The sealed text does not open with this key (another browser's key, or altered text)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


def _aead_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_INFO).derive(shared)


def new_key_pair() -> tuple[str, str]:
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    return _b64(raw), _b64(private.public_key().public_bytes(**_RAW))


def seal(public: str, data: bytes) -> str:
    recipient = _unb64(public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(**_RAW)
    key = _aead_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient)), ephemeral_public, recipient)
    nonce = os.urandom(_NONCE)
    return _b64(ephemeral_public + nonce + AESGCM(key).encrypt(nonce, data, None))


def open_sealed(private: str, sealed: str) -> bytes:
    try:
        own = X25519PrivateKey.from_private_bytes(_unb64(private))
        raw = _unb64(sealed)
        ephemeral_public, nonce, ciphertext = raw[:_KEY], raw[_KEY:_KEY + _NONCE], raw[_KEY + _NONCE:]
        recipient = own.public_key().public_bytes(**_RAW)
        key = _aead_key(own.exchange(X25519PublicKey.from_public_bytes(ephemeral_public)), ephemeral_public,
                        recipient)
        return AESGCM(key).decrypt(nonce, ciphertext, None)
    except (InvalidTag, ValueError, TypeError) as exc:
        raise SealBroken(str(exc)) from exc
