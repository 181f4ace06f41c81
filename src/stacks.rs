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

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A TLS stack a migration agent or target may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Stack {
    /// OpenSSL 3.0 as a TLS context uses it as shipped: security level 1, no X509_STRICT
    /// (measured: 3.0.19).
    OpenSsl,
    /// OpenSSL 3.0 as Python ≥ 3.13's `ssl.create_default_context()` configures it:
    /// `VERIFY_X509_STRICT` and partial chains, security level 2.
    Python,
    /// Go 1.23's `crypto/x509` and `crypto/tls`.
    Go,
    /// rustls 0.23 with rustls-webpki 0.103 and the ring provider.
    Rustls,
    /// pyca/cryptography 48's X.509 verifier (CA/Browser Forum profile). It judges
    /// certificates only (it loads no private key) and refuses Ed25519 keys.
    Pyca,
}

impl Stack {
    /// Every stack, in the order reports list them.
    pub const ALL: [Stack; 5] = [
        Self::OpenSsl,
        Self::Python,
        Self::Go,
        Self::Rustls,
        Self::Pyca,
    ];

    /// The short name used in reports and on the command line: `openssl`, `python`, `go`,
    /// `rustls`, `pyca`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::OpenSsl => "openssl",
            Self::Python => "python",
            Self::Go => "go",
            Self::Rustls => "rustls",
            Self::Pyca => "pyca",
        }
    }

    /// The stack in words, for messages, with the version `tests/stacks.rs` measured it at:
    /// what certkey says of a stack is known true of that version.
    pub const fn description(self) -> &'static str {
        match self {
            Self::OpenSsl => "OpenSSL 3.0 as shipped",
            Self::Python => "OpenSSL 3.0 with X509_STRICT (Python 3.13's default)",
            Self::Go => "Go 1.23's crypto/tls",
            Self::Rustls => "rustls 0.23 with ring",
            Self::Pyca => "pyca/cryptography 48's verifier",
        }
    }

    /// Looks a stack up by its short name.
    ///
    /// ```
    /// use certkey::Stack;
    /// assert_eq!(Stack::from_name("go"), Some(Stack::Go));
    /// assert_eq!(Stack::from_name("gnutls"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stack| stack.name() == name)
    }

    const fn bit(self) -> u8 {
        1 << self as u8
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
pub struct Stacks(u8);

impl Stacks {
    /// No stack.
    pub const NONE: Self = Self(0);

    /// Every stack.
    pub const ALL: Self = Self::of(&Stack::ALL);

    /// The stacks that load private keys: all but pyca's verifier.
    pub const KEY_LOADERS: Self = Self::ALL.without(Stack::Pyca);

    /// The stacks a policy counts unless told otherwise ([`Policy::with_stacks`]): OpenSSL as
    /// shipped, OpenSSL with X509_STRICT (Python), Go and rustls. pyca's verifier is opt-in:
    /// it enforces the CA/Browser Forum profile and refuses Ed25519 keys.
    ///
    /// [`Policy::with_stacks`]: crate::Policy::with_stacks
    pub const COUNTED_BY_DEFAULT: Self =
        Self::of(&[Stack::OpenSsl, Stack::Python, Stack::Go, Stack::Rustls]);

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
    /// The stacks in words, for messages: "Go's crypto/tls and rustls".
    pub(crate) fn in_words(self) -> String {
        let words: Vec<&str> = self.iter().map(Stack::description).collect();
        match words.split_last() {
            None => "no stack".to_owned(),
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
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

/// Reads a comma-separated list of stack names (`openssl,python,go`), as the command line's
/// `--stack` takes it.
///
/// ```
/// use certkey::{Stack, Stacks};
/// let stacks: Stacks = "go, rustls".parse().unwrap();
/// assert_eq!(stacks, Stacks::of(&[Stack::Go, Stack::Rustls]));
/// assert!("openssl,gnutls".parse::<Stacks>().is_err());
/// ```
impl core::str::FromStr for Stacks {
    type Err = ParseStacksError;

    fn from_str(list: &str) -> Result<Self, Self::Err> {
        let known = || {
            Stack::ALL
                .iter()
                .map(|stack| stack.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut stacks = Self::NONE;
        for name in list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let stack = match Stack::from_name(&name.to_ascii_lowercase()) {
                Some(stack) => stack,
                None if name.eq_ignore_ascii_case("java") => {
                    return Err(ParseStacksError(format!(
                        "java is not modelled: certkey cannot predict JSSE's verdicts yet (the stacks it models: {})",
                        known()
                    )))
                }
                None => {
                    return Err(ParseStacksError(format!(
                        "unknown stack `{}` (the stacks certkey models: {})",
                        crate::quote(name, 40),
                        known()
                    )))
                }
            };
            stacks = stacks.union(Self::of(&[stack]));
        }
        if stacks.is_empty() {
            return Err(ParseStacksError(format!(
                "no stack named (the stacks certkey models: {})",
                known()
            )));
        }
        Ok(stacks)
    }
}

impl fmt::Debug for Stacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for Stacks {
    /// The names, comma-separated (`openssl, go`), or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, stack) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(stack.name())?;
        }
        Ok(())
    }
}

impl Serialize for Stacks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Stack::name))
    }
}

/// Reads the list of names reports write (an empty list is no stack).
impl<'de> Deserialize<'de> for Stacks {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<Stack>::deserialize(deserializer)?;
        Ok(Self::of(&names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_displays_as_its_name_and_a_set_debugs_as_its_members() {
        assert_eq!(Stack::Go.to_string(), "go");
        assert_eq!(Stack::Pyca.to_string(), Stack::Pyca.name());
        assert_eq!(
            format!("{:?}", Stacks::of(&[Stack::Rustls, Stack::OpenSsl])),
            "{OpenSsl, Rustls}"
        );
        assert_eq!(format!("{:?}", Stacks::NONE), "{}");
    }

    #[test]
    fn sets_hold_what_they_are_made_of() {
        let set = Stacks::of(&[Stack::Go, Stack::Rustls]);
        assert!(set.contains(Stack::Go) && set.contains(Stack::Rustls));
        assert!(!set.contains(Stack::OpenSsl) && !set.contains(Stack::Pyca));
        assert_eq!(set.iter().collect::<Vec<_>>(), [Stack::Go, Stack::Rustls]);
        assert_eq!(set.to_string(), "go, rustls");
        assert_eq!(Stacks::NONE.to_string(), "none");
        assert!(Stacks::NONE.is_empty() && !set.is_empty());
        assert_eq!(Stacks::ALL.iter().count(), Stack::ALL.len());
        assert!(!Stacks::KEY_LOADERS.contains(Stack::Pyca));
        assert!(Stacks::KEY_LOADERS.contains(Stack::Python));
        assert_eq!(
            set.intersection(Stacks::of(&[Stack::Go, Stack::Pyca])),
            Stacks::of(&[Stack::Go])
        );
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"["go","rustls"]"#);
    }

    #[test]
    fn lists_parse_and_read_in_words() {
        let stacks: Stacks = " OpenSSL , pyca,go".parse().unwrap();
        assert_eq!(
            stacks,
            Stacks::of(&[Stack::OpenSsl, Stack::Go, Stack::Pyca])
        );
        assert_eq!(
            stacks.in_words(),
            "OpenSSL 3.0 as shipped, Go 1.23's crypto/tls and pyca/cryptography 48's verifier"
        );
        assert_eq!(
            Stacks::of(&[Stack::Rustls]).in_words(),
            "rustls 0.23 with ring"
        );
        assert_eq!(
            Stacks::of(&[Stack::Go, Stack::Rustls]).in_words(),
            "Go 1.23's crypto/tls and rustls 0.23 with ring"
        );
        assert_eq!(Stacks::NONE.in_words(), "no stack");
        let java = "go,java".parse::<Stacks>().unwrap_err().to_string();
        assert!(java.starts_with("java is not modelled"), "{java}");
        let unknown = "gnutls".parse::<Stacks>().unwrap_err().to_string();
        assert!(unknown.starts_with("unknown stack `gnutls`"), "{unknown}");
        assert!(" , ".parse::<Stacks>().is_err());
        assert_eq!(
            Stacks::COUNTED_BY_DEFAULT.union(Stacks::of(&[Stack::Pyca])),
            Stacks::ALL
        );
    }

    #[test]
    fn names_round_trip() {
        for stack in Stack::ALL {
            assert_eq!(Stack::from_name(stack.name()), Some(stack));
        }
    }
}
