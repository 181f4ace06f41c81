//! The TLS stacks that consume a bundle, and which of them refuse what a finding reports.
//!
//! An agent and a target do not run certkey's rules: they run a TLS stack. Each catalog entry
//! records the stacks that refuse what its check detects ([`Check::refused_by`]); a finding
//! may name fewer, where its details decide (an RSA-1024 key is refused by fewer stacks than
//! a curve no TLS stack knows). What each stack does was established by running it:
//! `tests/stacks.rs` compares these sets with the stacks' verdicts on every fixture.
//!
//! [`Check::refused_by`]: crate::Check::refused_by

use core::fmt;
use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A TLS stack a migration agent or target may run, at the versions and in the configuration
/// the differential harness measured: a behaviour-distinct (library, version, configuration).
/// Its [`name`](Stack::name) is its id (`rustls-ring`); a [family](Stack::family) name
/// (`rustls`) selects every measured version of a library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Stack {
    /// `openssl-3.0`: OpenSSL 3.0 as a TLS context uses it as shipped: security level 1, no
    /// X509_STRICT (measured: 3.0.22; 3.1.4 agrees). OpenSSL 3.2 to 3.4 refuse exactly what
    /// this stack or `openssl-3.5` refuses (measured: 3.2.2, 3.4.1): count both for them.
    OpenSsl30,
    /// `openssl-3.5`: OpenSSL 3.5 as a TLS context uses it as shipped: security level 2 (the
    /// default since 3.2), no X509_STRICT (measured: 3.5.6).
    OpenSsl35,
    /// `openssl-4.0`: OpenSSL 4.0 as a TLS context uses it as shipped: security level 2, no
    /// X509_STRICT (measured: 4.0.3).
    OpenSsl40,
    /// `python-3.13-openssl-3.0`: Python ≥ 3.13's `ssl.create_default_context()` on OpenSSL
    /// 3.0: `VERIFY_X509_STRICT` and partial chains, security level 2 (measured: Python's
    /// `ssl` on 3.0.22 so configured; the same configuration on 3.1.4, 3.2.2 and 3.4.1
    /// agrees, so this stack stands for 3.0 to 3.4).
    PythonOpenSsl30,
    /// `python-3.13-openssl-3.5`: the same configuration on OpenSSL 3.5 (measured through
    /// pyOpenSSL on 3.5.6, configured as Python configures its context).
    PythonOpenSsl35,
    /// `python-3.13-openssl-4.0`: the same configuration on OpenSSL 4.0 (measured through
    /// pyOpenSSL on 4.0.3), where X509_STRICT no longer asks a CA's basicConstraints to be
    /// critical or a subject to be non-empty.
    PythonOpenSsl40,
    /// `go-1.23`: Go 1.23's `crypto/x509` and `crypto/tls` (measured: 1.23.5).
    Go123,
    /// `go-1.24`: Go 1.24's `crypto/x509` and `crypto/tls`, in a program whose module says
    /// `go 1.24` or later, so that it validates an RSA key's CRT values (measured: 1.24.4).
    Go124,
    /// `rustls-ring`: rustls 0.23 with rustls-webpki 0.103 and the ring provider.
    RustlsRing,
    /// `rustls-aws-lc-rs`: rustls 0.23 with rustls-webpki 0.103 and the aws-lc-rs provider,
    /// rustls' default.
    RustlsAwsLcRs,
    /// `pyca-48`: pyca/cryptography 48's X.509 verifier (CA/Browser Forum profile). It judges
    /// certificates only (it loads no private key) and refuses Ed25519 keys.
    Pyca48,
    /// `pyca-51`: pyca/cryptography 51's X.509 verifier, which also refuses an empty
    /// subjectAltName extension in a client certificate (measured: 51.0.1).
    Pyca51,
}

impl Stack {
    /// Every stack, in the order reports list them.
    pub const ALL: [Stack; 12] = [
        Self::OpenSsl30,
        Self::OpenSsl35,
        Self::OpenSsl40,
        Self::PythonOpenSsl30,
        Self::PythonOpenSsl35,
        Self::PythonOpenSsl40,
        Self::Go123,
        Self::Go124,
        Self::RustlsRing,
        Self::RustlsAwsLcRs,
        Self::Pyca48,
        Self::Pyca51,
    ];

    /// The stack's id, used in reports and on the command line: `openssl-3.0`,
    /// `openssl-3.5`, `openssl-4.0`, `python-3.13-openssl-3.0` (and `-3.5`, `-4.0`), `go-1.23`,
    /// `go-1.24`, `rustls-ring`, `rustls-aws-lc-rs`, `pyca-48`, `pyca-51`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::OpenSsl30 => "openssl-3.0",
            Self::OpenSsl35 => "openssl-3.5",
            Self::OpenSsl40 => "openssl-4.0",
            Self::PythonOpenSsl30 => "python-3.13-openssl-3.0",
            Self::PythonOpenSsl35 => "python-3.13-openssl-3.5",
            Self::PythonOpenSsl40 => "python-3.13-openssl-4.0",
            Self::Go123 => "go-1.23",
            Self::Go124 => "go-1.24",
            Self::RustlsRing => "rustls-ring",
            Self::RustlsAwsLcRs => "rustls-aws-lc-rs",
            Self::Pyca48 => "pyca-48",
            Self::Pyca51 => "pyca-51",
        }
    }

    /// The library the stack is a version or configuration of: `openssl`, `python`, `go`,
    /// `rustls`, `pyca`. On the command line and in a policy, a family name stands for each
    /// of its stacks.
    pub const fn family(self) -> &'static str {
        match self {
            Self::OpenSsl30 | Self::OpenSsl35 | Self::OpenSsl40 => "openssl",
            Self::PythonOpenSsl30 | Self::PythonOpenSsl35 | Self::PythonOpenSsl40 => "python",
            Self::Go123 | Self::Go124 => "go",
            Self::RustlsRing | Self::RustlsAwsLcRs => "rustls",
            Self::Pyca48 | Self::Pyca51 => "pyca",
        }
    }

    /// The stack in words, for messages, with the version `tests/stacks.rs` measured it at:
    /// what certkey says of a stack is known true of that version.
    pub const fn description(self) -> &'static str {
        match self {
            Self::OpenSsl30 => "OpenSSL 3.0 as shipped",
            Self::OpenSsl35 => "OpenSSL 3.5 as shipped",
            Self::OpenSsl40 => "OpenSSL 4.0 as shipped",
            Self::PythonOpenSsl30 => "Python 3.13's default context on OpenSSL 3.0",
            Self::PythonOpenSsl35 => "Python 3.13's default context on OpenSSL 3.5",
            Self::PythonOpenSsl40 => "Python 3.13's default context on OpenSSL 4.0",
            Self::Go123 => "Go 1.23's crypto/tls",
            Self::Go124 => "Go 1.24's crypto/tls",
            Self::RustlsRing => "rustls 0.23 with ring",
            Self::RustlsAwsLcRs => "rustls 0.23 with aws-lc-rs (its default provider)",
            Self::Pyca48 => "pyca/cryptography 48's verifier",
            Self::Pyca51 => "pyca/cryptography 51's verifier",
        }
    }

    /// Every stack of the family in words, for messages where each of them refuses:
    /// `rustls 0.23 with either provider`.
    pub const fn family_description(self) -> &'static str {
        match self {
            Self::OpenSsl30 | Self::OpenSsl35 | Self::OpenSsl40 => {
                "OpenSSL 3.0, 3.5 and 4.0 as shipped"
            }
            Self::Go123 | Self::Go124 => "Go 1.23 and 1.24's crypto/tls",
            Self::RustlsRing | Self::RustlsAwsLcRs => "rustls 0.23 with either provider",
            Self::Pyca48 | Self::Pyca51 => "pyca/cryptography 48 and 51's verifier",
            Self::PythonOpenSsl30 | Self::PythonOpenSsl35 | Self::PythonOpenSsl40 => {
                "Python 3.13's default context on OpenSSL 3.0, 3.5 and 4.0"
            }
        }
    }

    /// A stack that is a version of its family, in words around the version: (`OpenSSL `,
    /// `3.5`, ` as shipped`), so that several versions read as one phrase ("OpenSSL 3.5 and
    /// 4.0 as shipped").
    const fn version_words(self) -> Option<(&'static str, &'static str, &'static str)> {
        const OPENSSL: (&str, &str) = ("OpenSSL ", " as shipped");
        const GO: (&str, &str) = ("Go ", "'s crypto/tls");
        const PYCA: (&str, &str) = ("pyca/cryptography ", "'s verifier");
        const PYTHON: (&str, &str) = ("Python 3.13's default context on OpenSSL ", "");
        let ((before, after), version) = match self {
            Self::OpenSsl30 => (OPENSSL, "3.0"),
            Self::OpenSsl35 => (OPENSSL, "3.5"),
            Self::OpenSsl40 => (OPENSSL, "4.0"),
            Self::Go123 => (GO, "1.23"),
            Self::Go124 => (GO, "1.24"),
            Self::Pyca48 => (PYCA, "48"),
            Self::Pyca51 => (PYCA, "51"),
            Self::PythonOpenSsl30 => (PYTHON, "3.0"),
            Self::PythonOpenSsl35 => (PYTHON, "3.5"),
            Self::PythonOpenSsl40 => (PYTHON, "4.0"),
            Self::RustlsRing | Self::RustlsAwsLcRs => return None,
        };
        Some((before, version, after))
    }

    /// Looks a stack up by its id.
    ///
    /// ```
    /// use certkey::Stack;
    /// assert_eq!(Stack::from_name("go-1.23"), Some(Stack::Go123));
    /// assert_eq!(Stack::from_name("rustls"), None); // a family: see `Stacks::from_str`
    /// assert_eq!(Stack::from_name("gnutls"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stack| stack.name() == name)
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

impl Serialize for Stack {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Reads a stack by its short name, as reports write it.
impl<'de> Deserialize<'de> for Stack {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format_args!("unknown stack `{}`", crate::quote(&name, 40)))
        })
    }
}

impl fmt::Display for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of [`Stack`]s. Serializes as the list of their names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stacks(u16);

impl Stacks {
    /// No stack.
    pub const NONE: Self = Self(0);

    /// Every stack.
    pub const ALL: Self = Self::of(&Stack::ALL);

    /// The stacks that load private keys: all but pyca's verifier.
    pub const KEY_LOADERS: Self = Self::ALL.without_all(Self::PYCA);

    /// Every measured OpenSSL line as shipped: 3.0, 3.5 and 4.0.
    pub const OPENSSL: Self = Self::of(&[Stack::OpenSsl30, Stack::OpenSsl35, Stack::OpenSsl40]);

    /// Python 3.13's default context on each OpenSSL line: 3.0, 3.5 and 4.0.
    pub const PYTHON: Self = Self::of(&[
        Stack::PythonOpenSsl30,
        Stack::PythonOpenSsl35,
        Stack::PythonOpenSsl40,
    ]);

    /// Go 1.23 and 1.24.
    pub const GO: Self = Self::of(&[Stack::Go123, Stack::Go124]);

    /// pyca/cryptography's verifier, 48 and 51.
    pub const PYCA: Self = Self::of(&[Stack::Pyca48, Stack::Pyca51]);

    /// rustls with either provider.
    pub const RUSTLS: Self = Self::of(&[Stack::RustlsRing, Stack::RustlsAwsLcRs]);

    /// The stacks a policy counts unless told otherwise ([`Policy::with_stacks`]), every
    /// measured version of OpenSSL, Python, Go and rustls: an agent may run any of them.
    /// pyca's verifier is opt-in: it enforces the CA/Browser Forum profile and refuses
    /// Ed25519 keys.
    ///
    /// [`Policy::with_stacks`]: crate::Policy::with_stacks
    pub const COUNTED_BY_DEFAULT: Self = Self::ALL.without_all(Self::PYCA);

    /// The set of `stacks`.
    pub const fn of(stacks: &[Stack]) -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < stacks.len() {
            bits |= stacks[i].bit();
            i += 1;
        }
        Self(bits)
    }

    /// The stacks in any of `sets`: `Stacks::union_all(&[Stacks::OPENSSL, Stacks::GO])`.
    pub const fn union_all(sets: &[Stacks]) -> Self {
        let mut all = Self::NONE;
        let mut i = 0;
        while i < sets.len() {
            all = all.union(sets[i]);
            i += 1;
        }
        all
    }

    /// This set without `stack`.
    pub const fn without(self, stack: Stack) -> Self {
        Self(self.0 & !stack.bit())
    }

    /// The stacks in either set.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The stacks in both sets.
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Whether `stack` is in the set.
    pub const fn contains(self, stack: Stack) -> bool {
        self.0 & stack.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The stacks in the set, in [`Stack::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Stack> {
        Stack::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

impl Stacks {
    /// The stacks in words, for messages: "Go 1.23's crypto/tls and rustls 0.23 with ring";
    /// a family whose every stack is in the set in the family's words ("rustls 0.23 with
    /// either provider").
    pub(crate) fn in_words(self) -> String {
        let groups = self.groups();
        // A phrase that names versions has an "and" of its own: a comma before the last
        // "and" keeps the list readable.
        let and = if groups.iter().any(|(_, versions)| *versions) {
            ", and"
        } else {
            " and"
        };
        let words: Vec<_> = groups.into_iter().map(|(phrase, _)| phrase).collect();
        match words.split_last() {
            None => "no stack".to_owned(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{}{and} {last}", rest.join(", ")),
        }
    }

    /// Whether the set in words is the subject of a verb in the plural: more than one phrase,
    /// or a phrase that names several versions ("OpenSSL 3.5 and 4.0 as shipped refuse it");
    /// "rustls 0.23 with either provider" takes the singular.
    pub(crate) fn is_plural(self) -> bool {
        let groups = self.groups();
        groups.len() > 1 || groups.first().is_some_and(|(_, plural)| *plural)
    }

    /// The phrases [`in_words`](Self::in_words) joins, each with whether it names several
    /// versions: one per stack, one per whole family ("rustls 0.23 with either provider"),
    /// and one for the versions of a family in the set ("OpenSSL 3.5 and 4.0 as shipped").
    fn groups(self) -> Vec<(Cow<'static, str>, bool)> {
        let mut groups = Vec::new();
        for (first, here, whole) in self.by_family() {
            let versions: Vec<&str> = here
                .iter()
                .filter_map(|stack| stack.version_words().map(|(_, version, _)| version))
                .collect();
            match (first.version_words(), versions.split_last()) {
                (Some((before, _, after)), Some((last, rest))) if !rest.is_empty() => {
                    let versions = format!("{} and {last}", rest.join(", "));
                    groups.push((Cow::Owned(format!("{before}{versions}{after}")), true));
                }
                _ if whole => groups.push((Cow::Borrowed(first.family_description()), false)),
                _ => groups.extend(
                    here.iter()
                        .map(|stack| (Cow::Borrowed(stack.description()), false)),
                ),
            }
        }
        groups
    }

    /// The set family by family, in [`Stack::ALL`]'s order (a family's stacks stand
    /// together there): the family's first stack in the set, its stacks in the set, and
    /// whether they are the whole of a family of more than one stack.
    fn by_family(self) -> Vec<(Stack, Self, bool)> {
        let mut families = Vec::new();
        let mut done = Self::NONE;
        for stack in self.iter() {
            if done.contains(stack) {
                continue;
            }
            let family = Self::family(stack.family());
            let here = family.intersection(self);
            done = done.union(here);
            families.push((
                stack,
                here,
                here == family && family.iter().nth(1).is_some(),
            ));
        }
        families
    }

    /// Every stack of the family `name` (none for a name that is no family).
    fn family(name: &str) -> Self {
        Self::ALL.filter(|stack| stack.family() == name)
    }
}

/// A stack list that names no stack certkey models, or none at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseStacksError(String);

impl fmt::Display for ParseStacksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseStacksError {}

/// Reads a comma-separated list of stack ids and family names (`openssl,go-1.23`), as the
/// command line's `--stacks` takes it. A family name (`rustls`) stands for every stack of
/// the family ([`Stack::family`]).
///
/// ```
/// use certkey::{Stack, Stacks};
/// let stacks: Stacks = "go-1.23, rustls-aws-lc-rs".parse().unwrap();
/// assert_eq!(stacks, Stacks::of(&[Stack::Go123, Stack::RustlsAwsLcRs]));
/// assert_eq!("go".parse::<Stacks>().unwrap(), Stacks::GO);
/// assert_eq!("rustls".parse::<Stacks>().unwrap(), Stacks::RUSTLS);
/// assert!("openssl,gnutls".parse::<Stacks>().is_err());
/// ```
impl core::str::FromStr for Stacks {
    type Err = ParseStacksError;

    fn from_str(list: &str) -> Result<Self, Self::Err> {
        let mut stacks = Self::NONE;
        for name in list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            stacks = stacks.union(Self::named(name)?);
        }
        if stacks.is_empty() {
            return Err(ParseStacksError(format!(
                "no stack named (the stacks certkey models: {})",
                Self::known()
            )));
        }
        Ok(stacks)
    }
}

impl Stacks {
    /// The stack whose id is `name`, or every stack of the family `name`, in any case.
    fn named(name: &str) -> Result<Self, ParseStacksError> {
        let name = name.to_ascii_lowercase();
        if let Some(stack) = Stack::from_name(&name) {
            return Ok(Self::of(&[stack]));
        }
        let family = Self::family(&name);
        if !family.is_empty() {
            return Ok(family);
        }
        Err(ParseStacksError(if name == "java" {
            format!(
                "java is not modelled: certkey cannot predict JSSE's verdicts yet (the stacks it models: {})",
                Self::known()
            )
        } else {
            format!(
                "unknown stack `{}` (the stacks certkey models: {})",
                crate::quote(&name, 40),
                Self::known()
            )
        }))
    }

    /// The ids, then the family names, each once.
    fn known() -> String {
        let ids: Vec<&str> = Stack::ALL.iter().map(|stack| stack.name()).collect();
        let mut families: Vec<&str> = Vec::new();
        for stack in Stack::ALL {
            if !families.contains(&stack.family()) {
                families.push(stack.family());
            }
        }
        format!("{}; or a family: {}", ids.join(", "), families.join(", "))
    }

    /// The stacks of this set that are not in `other`.
    pub const fn without_all(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The stacks of the set for which `keep` holds.
    pub(crate) fn filter(self, keep: impl Fn(Stack) -> bool) -> Self {
        self.iter()
            .filter(|stack| !keep(*stack))
            .fold(self, Self::without)
    }
}

impl fmt::Debug for Stacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for Stacks {
    /// The ids, comma-separated (`openssl-3.0, go-1.23`), a family of more than one stack
    /// that is whole in the set by its family name (`rustls`, as `--stacks` reads it), or
    /// `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut names = Vec::new();
        for (first, here, whole) in self.by_family() {
            if whole {
                names.push(first.family());
            } else {
                names.extend(here.iter().map(Stack::name));
            }
        }
        f.write_str(&names.join(", "))
    }
}

impl Serialize for Stacks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Stack::name))
    }
}

/// Reads a list of stack ids and family names, as reports write it and policies name it (an
/// empty list is no stack).
impl<'de> Deserialize<'de> for Stacks {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        names.iter().try_fold(Self::NONE, |stacks, name| {
            Self::named(name)
                .map(|named| stacks.union(named))
                .map_err(serde::de::Error::custom)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_displays_as_its_id_and_a_set_debugs_as_its_members() {
        assert_eq!(Stack::Go123.to_string(), "go-1.23");
        assert_eq!(Stack::Pyca51.to_string(), Stack::Pyca51.name());
        assert_eq!(
            format!("{:?}", Stacks::of(&[Stack::RustlsRing, Stack::OpenSsl30])),
            "{OpenSsl30, RustlsRing}"
        );
        assert_eq!(format!("{:?}", Stacks::NONE), "{}");
    }

    #[test]
    fn sets_hold_what_they_are_made_of() {
        let set = Stacks::of(&[Stack::Go123, Stack::RustlsRing]);
        assert!(set.contains(Stack::Go123) && set.contains(Stack::RustlsRing));
        assert!(!set.contains(Stack::OpenSsl30) && !set.contains(Stack::Pyca48));
        assert!(!set.contains(Stack::RustlsAwsLcRs) && !set.contains(Stack::Go124));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Stack::Go123, Stack::RustlsRing]
        );
        assert_eq!(set.to_string(), "go-1.23, rustls-ring");
        assert_eq!(
            Stacks::RUSTLS.union(Stacks::PYCA).to_string(),
            "rustls, pyca"
        );
        assert_eq!(Stacks::NONE.to_string(), "none");
        assert!(Stacks::NONE.is_empty() && !set.is_empty());
        assert_eq!(Stacks::ALL.iter().count(), Stack::ALL.len());
        assert_eq!(Stacks::ALL.without_all(Stacks::ALL), Stacks::NONE);
        assert_eq!(Stacks::KEY_LOADERS, Stacks::ALL.without_all(Stacks::PYCA));
        assert!(Stacks::KEY_LOADERS.contains(Stack::PythonOpenSsl40));
        assert!(Stacks::KEY_LOADERS.contains(Stack::RustlsAwsLcRs));
        assert_eq!(
            set.intersection(Stacks::of(&[Stack::Go123, Stack::Pyca48])),
            Stacks::of(&[Stack::Go123])
        );
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"["go-1.23","rustls-ring"]"#
        );
        assert_eq!(
            Stacks::union_all(&[Stacks::GO, set, Stacks::NONE]),
            Stacks::of(&[Stack::Go123, Stack::Go124, Stack::RustlsRing])
        );
        assert_eq!(Stacks::union_all(&[]), Stacks::NONE);
        // The last stack has a bit of its own.
        assert!(!Stacks::ALL.without(Stack::Pyca51).contains(Stack::Pyca51));
        assert!(Stacks::ALL.without(Stack::Pyca51).contains(Stack::Pyca48));
    }

    #[test]
    fn lists_parse_ids_and_families_and_read_in_words() {
        let stacks: Stacks = " OpenSSL-3.0 , pyca-48,go-1.23".parse().unwrap();
        assert_eq!(
            stacks,
            Stacks::of(&[Stack::OpenSsl30, Stack::Go123, Stack::Pyca48])
        );
        assert_eq!(
            stacks.in_words(),
            "OpenSSL 3.0 as shipped, Go 1.23's crypto/tls and pyca/cryptography 48's verifier"
        );
        assert_eq!("rustls".parse::<Stacks>().unwrap(), Stacks::RUSTLS);
        assert_eq!("go".parse::<Stacks>().unwrap(), Stacks::GO);
        assert_eq!("PYCA".parse::<Stacks>().unwrap(), Stacks::PYCA);
        assert_eq!(
            "rustls-aws-lc-rs,python".parse::<Stacks>().unwrap(),
            Stacks::PYTHON.union(Stacks::of(&[Stack::RustlsAwsLcRs]))
        );
        assert_eq!(
            Stacks::of(&[Stack::RustlsRing]).in_words(),
            "rustls 0.23 with ring"
        );
        assert_eq!(
            Stacks::of(&[Stack::Go124, Stack::RustlsRing]).in_words(),
            "Go 1.24's crypto/tls and rustls 0.23 with ring"
        );
        assert_eq!(Stacks::NONE.in_words(), "no stack");
        assert_eq!(
            Stacks::RUSTLS
                .union(Stacks::of(&[Stack::PythonOpenSsl30]))
                .in_words(),
            "Python 3.13's default context on OpenSSL 3.0 and rustls 0.23 with either provider"
        );
        assert_eq!(
            Stacks::of(&[Stack::RustlsAwsLcRs]).in_words(),
            "rustls 0.23 with aws-lc-rs (its default provider)"
        );
        let java = "go,java".parse::<Stacks>().unwrap_err().to_string();
        assert!(java.starts_with("java is not modelled"), "{java}");
        let unknown = "gnutls".parse::<Stacks>().unwrap_err().to_string();
        assert_eq!(
            unknown,
            "unknown stack `gnutls` (the stacks certkey models: openssl-3.0, openssl-3.5, \
             openssl-4.0, python-3.13-openssl-3.0, python-3.13-openssl-3.5, \
             python-3.13-openssl-4.0, go-1.23, go-1.24, rustls-ring, rustls-aws-lc-rs, pyca-48, \
             pyca-51; or a family: openssl, python, go, rustls, pyca)"
        );
        assert!(" , ".parse::<Stacks>().is_err());
        assert_eq!(Stacks::COUNTED_BY_DEFAULT.union(Stacks::PYCA), Stacks::ALL);
        assert!(Stacks::COUNTED_BY_DEFAULT.contains(Stack::RustlsAwsLcRs));
        assert!(Stacks::COUNTED_BY_DEFAULT.contains(Stack::Go124));
        assert!(Stacks::COUNTED_BY_DEFAULT
            .intersection(Stacks::PYCA)
            .is_empty());
    }

    #[test]
    fn the_versions_of_a_family_read_as_one_phrase() {
        assert_eq!("openssl".parse::<Stacks>().unwrap(), Stacks::OPENSSL);
        assert_eq!(Stacks::OPENSSL.to_string(), "openssl");
        for (family, words) in [
            (Stacks::OPENSSL, "OpenSSL 3.0, 3.5 and 4.0 as shipped"),
            (Stacks::GO, "Go 1.23 and 1.24's crypto/tls"),
            (Stacks::PYCA, "pyca/cryptography 48 and 51's verifier"),
            (
                Stacks::PYTHON,
                "Python 3.13's default context on OpenSSL 3.0, 3.5 and 4.0",
            ),
        ] {
            assert_eq!(family.in_words(), words);
            let first = family.iter().next().unwrap();
            assert_eq!(first.family_description(), words);
            assert!(family.is_plural());
        }
        let newer = Stacks::of(&[Stack::OpenSsl35, Stack::OpenSsl40, Stack::Go123]);
        assert_eq!(newer.to_string(), "openssl-3.5, openssl-4.0, go-1.23");
        assert_eq!(
            newer.in_words(),
            "OpenSSL 3.5 and 4.0 as shipped, and Go 1.23's crypto/tls"
        );
        assert_eq!(newer.groups().len(), 2);
        assert!(newer.is_plural());
        assert!(Stacks::of(&[Stack::OpenSsl35, Stack::OpenSsl40]).is_plural());
        assert!(!Stacks::of(&[Stack::OpenSsl40]).is_plural());
        assert!(!Stacks::RUSTLS.is_plural());
        assert!(!Stacks::NONE.is_plural());
        assert!(Stacks::of(&[Stack::Go124, Stack::Pyca51]).is_plural());
        assert_eq!(
            Stacks::of(&[Stack::OpenSsl40, Stack::PythonOpenSsl30]).in_words(),
            "OpenSSL 4.0 as shipped and Python 3.13's default context on OpenSSL 3.0"
        );
        assert_eq!(
            Stacks::OPENSSL.union(Stacks::RUSTLS).groups(),
            [
                (Cow::Borrowed("OpenSSL 3.0, 3.5 and 4.0 as shipped"), true),
                (Cow::Borrowed("rustls 0.23 with either provider"), false)
            ]
        );
        assert_eq!(
            Stacks::ALL.in_words(),
            "OpenSSL 3.0, 3.5 and 4.0 as shipped, Python 3.13's default context on OpenSSL 3.0, \
             3.5 and 4.0, Go 1.23 and 1.24's crypto/tls, rustls 0.23 with either provider, and \
             pyca/cryptography 48 and 51's verifier"
        );
    }

    #[test]
    fn lists_deserialize_from_ids_and_families() {
        let stacks: Stacks = serde_json::from_str(r#"["rustls", "go-1.23"]"#).unwrap();
        assert_eq!(stacks, Stacks::RUSTLS.union(Stacks::of(&[Stack::Go123])));
        assert_eq!(serde_json::from_str::<Stacks>("[]").unwrap(), Stacks::NONE);
        let error = serde_json::from_str::<Stacks>(r#"["gnutls"]"#).unwrap_err();
        assert!(
            error.to_string().starts_with("unknown stack `gnutls`"),
            "{error}"
        );
        assert!(serde_json::from_str::<Stack>(r#""rustls""#).is_err());
        assert!(serde_json::from_str::<Stack>(r#""pyca""#).is_err());
    }

    #[test]
    fn names_round_trip_and_families_group_versions() {
        for stack in Stack::ALL {
            assert_eq!(Stack::from_name(stack.name()), Some(stack));
            assert!(stack.name().starts_with(stack.family()));
            assert!(Stacks::family(stack.family()).contains(stack));
        }
        assert_eq!(Stack::RustlsAwsLcRs.family(), Stack::RustlsRing.family());
        assert_eq!(Stack::Go124.family(), Stack::Go123.family());
        assert_eq!(Stack::Pyca51.family(), Stack::Pyca48.family());
        assert_ne!(Stack::OpenSsl30.family(), Stack::PythonOpenSsl30.family());
        assert_eq!(
            Stack::PythonOpenSsl40.family(),
            Stack::PythonOpenSsl30.family()
        );
    }
}
