# Type stubs for the native half of the package (src/lib.rs).
from typing import Iterable, Optional, Tuple, Union
import datetime

__version__: str
OPTIONS: list[str]

def audit(
    data: Union[bytes, bytearray],
    /,
    *,
    at: Union[datetime.datetime, str, int, None] = ...,
    profile: str = ...,
    deep: bool = ...,
    strict: bool = ...,
    warn_within: Union[datetime.timedelta, str, int, None] = ...,
    allow: Union[str, Iterable[str], None] = ...,
    stacks: Union[str, Iterable[str], None] = ...,
    ca_pem: Optional[str] = ...,
    passphrase: Union[bytes, bytearray, None] = ...,
    max_input_len: Optional[int] = ...,
    max_pbkdf2_iterations: Optional[int] = ...,
    max_scrypt_bytes: Optional[int] = ...,
) -> Tuple[bool, str]: ...
def catalog_json() -> str: ...
