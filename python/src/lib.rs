//! The native half of the Python package `certkey`: `certkey._certkey`.
//!
//! `audit` takes the options as keyword arguments, builds a [`certkey::Policy`] from them
//! (the same options, by the same names, as the C ABI's `policy_json`), audits with the GIL
//! released, and returns the verdict and the report as JSON; `certkey/__init__.py` wraps them
//! in a `Report`. Bad input is a finding; bad arguments raise `TypeError` or `ValueError`.

use certkey::options::{self, OptionErrorKind};
use certkey::{OptionError, Policy};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyInt, PyString};
use zeroize::Zeroizing;

fn raise(error: OptionError) -> PyErr {
    match error.kind() {
        OptionErrorKind::Type => PyTypeError::new_err(error.to_string()),
        _ => PyValueError::new_err(error.to_string()),
    }
}

/// A type error naming the argument and the type it was given (never its value: it may be a
/// passphrase).
fn wrong_type(name: &str, wanted: &str, given: &Bound<'_, PyAny>) -> PyErr {
    let given = given
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string());
    PyTypeError::new_err(format!("{name} must be {wanted}, not {given}"))
}

/// `at`: an aware `datetime`, a date or RFC 3339 string, or Unix seconds.
fn audit_time(at: &Bound<'_, PyAny>) -> PyResult<std::time::SystemTime> {
    use std::time::Duration;
    if let Ok(text) = at.cast::<PyString>() {
        return options::parse_time(&text.to_cow()?).map_err(raise);
    }
    if at.is_instance_of::<pyo3::types::PyBool>() {
        return Err(wrong_type("at", "a datetime, a str or an int", at));
    }
    if at.is_instance_of::<PyInt>() {
        // An int beyond 64 bits is as far out of range as any.
        let seconds = at.extract::<i64>().unwrap_or(i64::MAX);
        return options::audit_time_from_unix(seconds).map_err(raise);
    }
    if at.hasattr("tzinfo")? && at.hasattr("timestamp")? {
        if at.getattr("tzinfo")?.is_none() || at.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "at is a naive datetime: give it a time zone (datetime.timezone.utc)",
            ));
        }
        let seconds: f64 = at.call_method0("timestamp")?.extract()?;
        // The whole seconds through the one range check, then the fraction.
        let whole = if seconds.is_finite() {
            seconds.floor()
        } else {
            -1.0
        };
        let at = options::audit_time_from_unix(whole.clamp(-1.0, 1e15) as i64).map_err(raise)?;
        return Ok(at + Duration::from_secs_f64(seconds - whole));
    }
    Err(wrong_type("at", "a datetime, a str or an int", at))
}

/// `warn_within`: a `timedelta`, a duration string (`"30d"`) or seconds.
fn window(value: &Bound<'_, PyAny>) -> PyResult<std::time::Duration> {
    use std::time::Duration;
    if let Ok(text) = value.cast::<PyString>() {
        return options::parse_duration(&text.to_cow()?).map_err(raise);
    }
    if value.is_instance_of::<pyo3::types::PyBool>() {
        return Err(wrong_type(
            "warn_within",
            "a timedelta, a str or an int",
            value,
        ));
    }
    if value.is_instance_of::<PyInt>() {
        return value
            .extract::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| PyValueError::new_err("warn_within must be a duration from 0 on"));
    }
    if value.hasattr("total_seconds")? {
        let seconds: f64 = value.call_method0("total_seconds")?.extract()?;
        return Duration::try_from_secs_f64(seconds)
            .map_err(|_| PyValueError::new_err("warn_within must be a duration from 0 on"));
    }
    Err(wrong_type(
        "warn_within",
        "a timedelta, a str or an int",
        value,
    ))
}

/// `allow` and `stacks`: a comma-separated string or an iterable of strings, joined.
fn names(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    let mut joined = Vec::new();
    let items = value
        .try_iter()
        .map_err(|_| wrong_type(name, "a str or an iterable of str", value))?;
    for item in items {
        let item = item?;
        let text = item
            .cast::<PyString>()
            .map_err(|_| wrong_type(&format!("each item of {name}"), "a str", &item))?;
        joined.push(text.to_cow()?.into_owned());
    }
    Ok(joined.join(","))
}

/// A copy of a bytes-like object's bytes, in a buffer wiped on drop.
fn secret_copy(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Zeroizing::new(bytes.as_bytes().to_vec()));
    }
    if let Ok(array) = value.cast::<PyByteArray>() {
        return Ok(Zeroizing::new(array.to_vec()));
    }
    Err(wrong_type(name, "bytes or bytearray", value))
}

/// A count from Python's int: at least 0 and within the option's type.
fn count<T: TryFrom<i64>>(name: &str, value: i64) -> PyResult<T> {
    T::try_from(value).map_err(|_| {
        PyValueError::new_err(format!(
            "{name} must be a whole number from 0 to {}, not {value}",
            if std::mem::size_of::<T>() == 4 {
                u32::MAX as u64
            } else {
                i64::MAX as u64
            }
        ))
    })
}

/// Audits a certkey response; returns `(ok, report_json)`.
#[pyfunction]
#[pyo3(signature = (
    data, /, *, at=None, profile="strict", deep=false, strict=false, warn_within=None,
    allow=None, stacks=None, ca_pem=None, passphrase=None, max_input_len=None,
    max_pbkdf2_iterations=None, max_scrypt_bytes=None
))]
#[allow(clippy::too_many_arguments)] // Python's keyword arguments, one per option
fn audit(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    at: Option<&Bound<'_, PyAny>>,
    profile: &str,
    deep: bool,
    strict: bool,
    warn_within: Option<&Bound<'_, PyAny>>,
    allow: Option<&Bound<'_, PyAny>>,
    stacks: Option<&Bound<'_, PyAny>>,
    ca_pem: Option<&Bound<'_, PyAny>>,
    passphrase: Option<&Bound<'_, PyAny>>,
    max_input_len: Option<i64>,
    max_pbkdf2_iterations: Option<i64>,
    max_scrypt_bytes: Option<i64>,
) -> PyResult<(bool, String)> {
    // A panic (a bug) is a RuntimeError, and nothing of it reaches the host's stderr.
    certkey::catch_quietly(|| {
        // An argument left at None keeps the library's default (certkey.OPTIONS).
        let mut policy = Policy::default()
            .with_profile(options::parse_profile(profile).map_err(raise)?)
            .with_deep(deep)
            .with_strict(strict);
        if let Some(at) = at {
            policy = policy.with_at(audit_time(at)?);
        }
        if let Some(window) = warn_within {
            policy = policy.with_warn_within(self::window(window)?);
        }
        if let Some(allow) = allow {
            policy = policy.with_allow(options::parse_ids(&names("allow", allow)?).map_err(raise)?);
        }
        if let Some(stacks) = stacks {
            policy = policy.with_stacks(
                names("stacks", stacks)?
                    .parse()
                    .map_err(|e: certkey::ParseStacksError| PyValueError::new_err(e.to_string()))?,
            );
        }
        if let Some(pem) = ca_pem {
            let pem = pem
                .cast::<PyString>()
                .map_err(|_| wrong_type("ca_pem", "a str", pem))?;
            policy = policy.with_ca_pem(Zeroizing::new(pem.to_cow()?.into_owned()).as_str());
        }
        if let Some(passphrase) = passphrase {
            policy = policy.with_passphrase(&secret_copy("passphrase", passphrase)?);
        }
        if let Some(len) = max_input_len {
            policy = policy.with_max_input_len(count("max_input_len", len)?);
        }
        if let Some(iterations) = max_pbkdf2_iterations {
            policy = policy.with_max_pbkdf2_iterations(count("max_pbkdf2_iterations", iterations)?);
        }
        if let Some(bytes) = max_scrypt_bytes {
            policy = policy.with_max_scrypt_bytes(count("max_scrypt_bytes", bytes)?);
        }

        let report = if let Ok(bytes) = data.cast::<PyBytes>() {
            // bytes are immutable and `data` keeps them alive: audited in place, without the GIL.
            let input = bytes.as_bytes();
            py.detach(|| certkey::audit(input, &policy))
        } else if data.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "data must be bytes (the response as downloaded), not str: read the file in binary mode",
            ));
        } else if let Ok(array) = data.cast::<PyByteArray>() {
            // A bytearray can change while the GIL is released: audit a copy, wiped after.
            let input = Zeroizing::new(array.to_vec());
            py.detach(|| certkey::audit(&input, &policy))
        } else {
            return Err(wrong_type("data", "bytes or bytearray", data));
        };
        let json = serde_json::to_string(&report)
            .map_err(|e| PyValueError::new_err(format!("the report could not be written: {e}")))?;
        Ok((report.is_ok(), json))
    })
    .unwrap_or_else(|| {
        Err(PyRuntimeError::new_err(
            "certkey failed while auditing (a bug: please report it with the input's shape, never its keys)",
        ))
    })
}

/// For `benches/python_overhead.py`: the seconds `iterations` audits of `data` at `at` (Unix
/// seconds) take in Rust alone, the GIL released, with no conversion to or from Python; the
/// benchmark compares it with `audit`'s time per call.
#[pyfunction]
fn _bench_native(py: Python<'_>, data: &[u8], at: i64, iterations: u32) -> PyResult<f64> {
    let policy =
        certkey::Policy::default().with_at(options::audit_time_from_unix(at).map_err(raise)?);
    Ok(py.detach(|| {
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            let report = certkey::audit(std::hint::black_box(data), &policy);
            std::hint::black_box(report);
        }
        start.elapsed().as_secs_f64()
    }))
}

/// The catalog of checks, as JSON (what `certkey-audit explain --format json` prints).
#[pyfunction]
fn catalog_json() -> PyResult<String> {
    serde_json::to_string(&certkey::CATALOG)
        .map_err(|e| PyValueError::new_err(format!("the catalog could not be written: {e}")))
}

#[pymodule]
fn _certkey(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(audit, module)?)?;
    module.add_function(wrap_pyfunction!(catalog_json, module)?)?;
    module.add_function(wrap_pyfunction!(_bench_native, module)?)?;
    module.add("__version__", certkey::CERTKEY_VERSION)?;
    let names: Vec<&str> = options::OPTIONS.iter().map(|option| option.name).collect();
    module.add("OPTIONS", names)?;
    Ok(())
}
