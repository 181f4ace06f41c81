//! The audit policy: the audit time, the expiry warning window, the input limits and the TLS
//! stacks that count.

use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use crate::catalog::{CheckId, Profile};
use crate::stacks::Stacks;

/// The default size cap on a whole response: 16 MiB.
///
/// Seven members of at most 1,048,576 characters (plus JSON escapes) fit well below it.
pub const DEFAULT_MAX_INPUT_LEN: usize = 16 * 1024 * 1024;

/// The default expiry warning window (`warn_within`): 30 days, as cfssl and certigo warn.
pub const DEFAULT_WARN_WITHIN: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// When to rehearse the handshake.
#[cfg(feature = "handshake")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rehearsal {
    /// Never (the default).
    #[default]
    Off,
    /// For each target whose members (and the source's and the CA's) have no error finding;
    /// the others get `handshake.skipped`, since static checks already say it would fail.
    WhenSound,
    /// For each target that can be set up at all, whatever the static checks found: to see
    /// how a real TLS stack fails on a bundle already known to be bad.
    Always,
}

/// Text shown by its length only.
struct TextOfLen(usize);

impl core::fmt::Debug for TextOfLen {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// A passphrase, wiped on drop and never shown.
#[derive(Clone)]
struct Passphrase(Zeroizing<Vec<u8>>);

impl core::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// What an audit checks against: the options of an audit.
///
/// Every front end takes the same options by the same names, listed with their defaults in
/// [`options::OPTIONS`](crate::options::OPTIONS) (rendered in `docs/OPTIONS.md`): here each is
/// a `with_NAME` method and a reader `NAME()`, in JSON (the C ABI, configuration files) an
/// object read by [`Policy::from_json`] or serde, in Python a keyword argument, on the
/// command line a flag. Built with [`Policy::default`] and refined with the `with_*` methods;
/// new options are added as methods, so code written against this type keeps compiling.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use certkey::Policy;
///
/// let policy = Policy::default()
///     .with_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000))
///     .with_warn_within(Duration::from_secs(7 * 24 * 3600));
/// assert_eq!(policy.warn_within(), Duration::from_secs(7 * 24 * 3600));
/// ```
#[derive(Clone)]
pub struct Policy {
    at: Option<SystemTime>,
    profile: Profile,
    deep: bool,
    strict: bool,
    warn_within: Duration,
    allow: Vec<CheckId>,
    stacks: Stacks,
    ca_pem: Option<Zeroizing<String>>,
    passphrase: Option<Passphrase>,
    max_input_len: usize,
    max_pbkdf2_iterations: u32,
    max_scrypt_bytes: u64,
    #[cfg(feature = "handshake")]
    handshake: Rehearsal,
}

/// Shows the options, never the text the policy holds: the supplied CA appears as its length
/// (a CA file may hold more than the certificate, even a private key), the passphrase not at
/// all.
impl core::fmt::Debug for Policy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut debug = f.debug_struct("Policy");
        debug
            .field("at", &self.at)
            .field("profile", &self.profile)
            .field("deep", &self.deep)
            .field("strict", &self.strict)
            .field("warn_within", &self.warn_within)
            .field("allow", &self.allow)
            .field("stacks", &self.stacks)
            .field(
                "ca_pem",
                &self.ca_pem.as_ref().map(|pem| TextOfLen(pem.len())),
            )
            .field("passphrase", &self.passphrase)
            .field("max_input_len", &self.max_input_len)
            .field("max_pbkdf2_iterations", &self.max_pbkdf2_iterations)
            .field("max_scrypt_bytes", &self.max_scrypt_bytes);
        #[cfg(feature = "handshake")]
        debug.field("handshake", &self.handshake);
        debug.finish()
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            at: None,
            profile: Profile::Strict,
            deep: false,
            strict: false,
            warn_within: DEFAULT_WARN_WITHIN,
            allow: Vec::new(),
            stacks: Stacks::COUNTED_BY_DEFAULT,
            ca_pem: None,
            passphrase: None,
            max_input_len: DEFAULT_MAX_INPUT_LEN,
            max_pbkdf2_iterations: crate::keys::decrypt::DEFAULT_MAX_PBKDF2_ITERATIONS,
            max_scrypt_bytes: crate::keys::decrypt::DEFAULT_MAX_SCRYPT_BYTES,
            #[cfg(feature = "handshake")]
            handshake: Rehearsal::Off,
        }
    }
}

impl Policy {
    /// Audits as of `time` instead of the current time (for reproducible results, or to ask
    /// "will this bundle still be good on the migration date?").
    ///
    /// Audit times run from 1970-01-01T00:00:00Z (TLS stacks' clocks are Unix time) to
    /// 9999-12-31T23:59:59Z (the last second an X.509 time can name); a time outside is
    /// audited as the nearer end. [`options::check_audit_time`](crate::options::check_audit_time)
    /// refuses such a time instead, as every front end does.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use certkey::{audit, Policy};
    ///
    /// let far = SystemTime::UNIX_EPOCH + Duration::from_secs(1 << 40);
    /// let report = audit(b"{}", &Policy::default().with_at(far));
    /// assert_eq!(report.audited_at(), "9999-12-31T23:59:59Z");
    /// ```
    pub fn with_at(mut self, time: SystemTime) -> Self {
        self.at = Some(time);
        self
    }

    /// Warns about certificates that expire within `window` after the audit time.
    pub fn with_warn_within(mut self, window: Duration) -> Self {
        self.warn_within = window;
        self
    }

    /// Refuses input longer than `len` bytes (`response.too_large`) before parsing it.
    pub fn with_max_input_len(mut self, len: usize) -> Self {
        self.max_input_len = len;
        self
    }

    /// Deep mode: also test the primality of RSA factors and sign with each key and verify
    /// with its certificate (proof of possession). Off by default: it costs milliseconds per
    /// RSA key instead of microseconds.
    pub fn with_deep(mut self, deep: bool) -> Self {
        self.deep = deep;
        self
    }

    /// Judges certificate strength and form by `profile`.
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// The profile in force.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Counts `stacks`: the TLS stacks the agent and its targets really run. A finding
    /// whose check is about what stacks refuse is an error when a counted stack refuses
    /// it, and a warning naming the stacks when only uncounted ones do (or none, only a
    /// profile rule). The default is [`Stacks::COUNTED_BY_DEFAULT`]: every measured version
    /// of OpenSSL as shipped, of Python's default context, of Go and of rustls. An empty set counts every stack: a policy
    /// that counted none would pass what every stack refuses.
    ///
    /// ```
    /// use certkey::{Policy, Stack, Stacks};
    ///
    /// let policy = Policy::default().with_stacks(Stacks::of(&[Stack::Go123, Stack::Pyca48]));
    /// assert!(policy.stacks().contains(Stack::Pyca48));
    /// assert!(!policy.stacks().contains(Stack::OpenSsl30));
    /// assert_eq!(Policy::default().with_stacks(Stacks::NONE).stacks(), Stacks::ALL);
    /// ```
    pub fn with_stacks(mut self, stacks: Stacks) -> Self {
        self.stacks = if stacks.is_empty() {
            Stacks::ALL
        } else {
            stacks
        };
        self
    }

    /// The stacks counted.
    pub fn stacks(&self) -> Stacks {
        self.stacks
    }

    /// Strict verdicts: a warning fails the audit too ([`Report::is_ok`](crate::Report::is_ok)
    /// is false), as an error does. Off by default: warnings are risks that work today.
    ///
    /// ```
    /// use certkey::{audit, Policy};
    ///
    /// let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
    /// let policy = Policy::default().with_at(at);
    /// // No ca member: a warning (ca.absent), which fails a strict audit only.
    /// let no_ca = std::fs::read("testdata/bundles/no-ca.json").unwrap();
    /// assert!(audit(&no_ca, &policy).is_ok());
    /// assert!(!audit(&no_ca, &policy.clone().with_strict(true)).is_ok());
    /// // Undocumented members are only worth knowing (info): even strict, the verdict is ok.
    /// let extra = std::fs::read("testdata/bundles/good-unknown-members.json").unwrap();
    /// assert!(audit(&extra, &policy.with_strict(true)).is_ok());
    /// ```
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether warnings fail the audit.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// Accepts known conditions: findings with these ids stay in the report, marked
    /// [allowed](crate::Finding::is_allowed), and never fail the audit, whatever their
    /// severity. For an operator who knows, say, that the agent holds the CA itself
    /// (`ca.absent`). The TLS stacks' predicted verdicts ([`Report::identities`]) do not
    /// change: allowing a finding accepts a risk, it does not make a stack accept what it
    /// refuses.
    ///
    /// [`Report::identities`]: crate::Report::identities
    ///
    /// ```
    /// use certkey::{audit, CheckId, Policy};
    ///
    /// let no_ca = std::fs::read("testdata/bundles/no-ca.json").unwrap();
    /// let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
    /// let strict = Policy::default().with_at(at).with_strict(true);
    /// assert!(!audit(&no_ca, &strict).is_ok());
    /// let report = audit(&no_ca, &strict.with_allow([CheckId::CaAbsent]));
    /// assert!(report.is_ok());
    /// assert!(report.findings().iter().all(|f| f.id() == CheckId::CaAbsent && f.is_allowed()));
    /// ```
    pub fn with_allow(mut self, ids: impl IntoIterator<Item = CheckId>) -> Self {
        self.allow.extend(ids);
        self.allow.sort_unstable();
        self.allow.dedup();
        self
    }

    /// The ids allowed with [`Policy::with_allow`], in catalog order.
    pub fn allow(&self) -> &[CheckId] {
        &self.allow
    }

    /// Supplies the CA certificate (PEM text) for responses that have no `ca` member (the API
    /// includes it only with `enable_ca_cert=true`). It is then checked and used exactly as a
    /// `ca` member would be, and findings about it name the member `ca`. A response's own `ca`
    /// member, when present, is used instead. The policy's copy is wiped on drop (a CA file
    /// may hold more than the certificate), and `Debug` shows only its length.
    pub fn with_ca_pem(mut self, pem: impl Into<String>) -> Self {
        self.ca_pem = Some(Zeroizing::new(pem.into()));
        self
    }

    /// Rehearses the migration's mutual-TLS handshake with each target on loopback
    /// (feature `handshake`): `handshake.ok`, `handshake.failed` or `handshake.skipped` per
    /// target. Off by default; a rehearsal costs milliseconds and opens loopback sockets.
    ///
    /// ```
    /// use certkey::{Policy, Rehearsal};
    ///
    /// let policy = Policy::default().with_handshake(Rehearsal::WhenSound);
    /// assert_eq!(policy.handshake(), Rehearsal::WhenSound);
    /// ```
    #[cfg(feature = "handshake")]
    pub fn with_handshake(mut self, when: Rehearsal) -> Self {
        self.handshake = when;
        self
    }

    /// When the handshake is rehearsed (feature `handshake`).
    #[cfg(feature = "handshake")]
    pub fn handshake(&self) -> Rehearsal {
        self.handshake
    }

    /// Decrypts encrypted private keys with `passphrase`: the task's, from
    /// `GET /v3/tasks/{task_id}/passphrase`. The policy keeps a copy in a buffer wiped on drop,
    /// never shown by `Debug`; the caller owns (and should wipe) the slice it passes.
    ///
    /// Without a passphrase, an encrypted key is `key.encrypted`; with the wrong one,
    /// `key.passphrase_wrong`; with the right one it is checked as a plain key would be.
    ///
    /// ```
    /// use certkey::Policy;
    ///
    /// let policy = Policy::default().with_passphrase(b"the task's passphrase");
    /// assert!(policy.has_passphrase());
    /// assert!(!format!("{policy:?}").contains("task's"));
    /// ```
    pub fn with_passphrase(mut self, passphrase: &[u8]) -> Self {
        self.passphrase = Some(Passphrase(Zeroizing::new(passphrase.to_vec())));
        self
    }

    /// Bounds the PBKDF2 iterations the encrypted keys of one response may ask for, all
    /// together (default [`DEFAULT_MAX_PBKDF2_ITERATIONS`](crate::DEFAULT_MAX_PBKDF2_ITERATIONS));
    /// a key whose derivation would go beyond what is left is `key.encryption_unsupported`,
    /// refused before any work. An agent with a tighter time budget lowers it.
    pub fn with_max_pbkdf2_iterations(mut self, iterations: u32) -> Self {
        self.max_pbkdf2_iterations = iterations;
        self
    }

    /// The bound on PBKDF2 iterations, all of a response's keys together.
    pub fn max_pbkdf2_iterations(&self) -> u32 {
        self.max_pbkdf2_iterations
    }

    /// Bounds the scrypt work (128·N·r·p bytes) the encrypted keys of one response may ask
    /// for, all together (default [`DEFAULT_MAX_SCRYPT_BYTES`](crate::DEFAULT_MAX_SCRYPT_BYTES)),
    /// as [`Policy::with_max_pbkdf2_iterations`] bounds PBKDF2.
    pub fn with_max_scrypt_bytes(mut self, bytes: u64) -> Self {
        self.max_scrypt_bytes = bytes;
        self
    }

    /// The bound on scrypt work, in bytes, all of a response's keys together.
    pub fn max_scrypt_bytes(&self) -> u64 {
        self.max_scrypt_bytes
    }

    /// Both key-derivation bounds, as the budget an audit spends.
    pub(crate) fn kdf_limits(&self) -> crate::keys::decrypt::KdfLimits {
        crate::keys::decrypt::KdfLimits::new(self.max_pbkdf2_iterations, self.max_scrypt_bytes)
    }

    /// Whether a passphrase was given.
    pub fn has_passphrase(&self) -> bool {
        self.passphrase.is_some()
    }

    /// The passphrase, for the decryption layer only.
    pub(crate) fn passphrase(&self) -> Option<&[u8]> {
        self.passphrase.as_ref().map(|p| p.0.as_slice())
    }

    /// The CA supplied with [`Policy::with_ca_pem`], if any.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_ref().map(|pem| pem.as_str())
    }

    /// Whether deep mode is on.
    pub fn deep(&self) -> bool {
        self.deep
    }

    /// The audit time set with [`Policy::with_at`], if any (`None`: the current time).
    pub fn at(&self) -> Option<SystemTime> {
        self.at
    }

    /// The expiry warning window.
    pub fn warn_within(&self) -> Duration {
        self.warn_within
    }

    /// The size cap on a whole response, in bytes.
    pub fn max_input_len(&self) -> usize {
        self.max_input_len
    }

    /// The audit time in force: the one set, or now.
    pub(crate) fn effective_audit_time(&self) -> time::OffsetDateTime {
        audit_moment(self.at.unwrap_or_else(SystemTime::now))
    }
}

/// The latest audit time, in Unix seconds: 9999-12-31T23:59:59Z, the last second an X.509
/// time (a GeneralizedTime of four-digit years) can name.
pub(crate) const LATEST_AUDIT_TIME: u64 = 253_402_300_799;

/// `time` as the moment an audit is made, within the audit times certkey takes (from the Unix
/// epoch to [`LATEST_AUDIT_TIME`]): a time outside is the nearer end.
pub(crate) fn audit_moment(time: SystemTime) -> time::OffsetDateTime {
    let since = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .min(Duration::from_secs(LATEST_AUDIT_TIME));
    // Within time's range, which reaches to the end of year 9999.
    time::Duration::try_from(since)
        .ok()
        .and_then(|since| time::OffsetDateTime::UNIX_EPOCH.checked_add(since))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reader_returns_what_its_builder_set() {
        let default = Policy::default();
        assert_eq!(default.at(), None);
        assert!(!default.has_passphrase());
        assert_eq!(
            default.kdf_limits(),
            crate::keys::decrypt::KdfLimits::default()
        );

        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let window = Duration::from_secs(3 * 86_400);
        let limits = crate::keys::decrypt::KdfLimits::new(1_000, 1 << 16);
        let policy = Policy::default()
            .with_at(at)
            .with_warn_within(window)
            .with_max_pbkdf2_iterations(1_000)
            .with_max_scrypt_bytes(1 << 16)
            .with_passphrase(b"pw");
        assert_eq!(policy.at(), Some(at));
        assert_eq!(SystemTime::from(policy.effective_audit_time()), at);
        assert_eq!(policy.warn_within(), window);
        assert_ne!(window, default.warn_within());
        assert_eq!(policy.kdf_limits(), limits);
        assert!(policy.has_passphrase());
        assert_eq!(policy.passphrase(), Some(&b"pw"[..]));
    }

    #[test]
    fn audit_times_outside_the_range_are_its_nearer_end() {
        let moment =
            |seconds: u64| audit_moment(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(moment(1_780_272_000).unix_timestamp(), 1_780_272_000);
        assert_eq!(moment(LATEST_AUDIT_TIME).unix_timestamp(), 253_402_300_799);
        assert_eq!(
            moment(LATEST_AUDIT_TIME + 1).unix_timestamp(),
            253_402_300_799
        );
        assert_eq!(moment(u64::MAX >> 2).unix_timestamp(), 253_402_300_799);
        let before = SystemTime::UNIX_EPOCH - Duration::from_secs(86_400);
        assert_eq!(audit_moment(before), time::OffsetDateTime::UNIX_EPOCH);
        // A fraction of a second is kept within the range, not past its end.
        let half = SystemTime::UNIX_EPOCH + Duration::from_millis(1_500);
        assert_eq!(audit_moment(half).unix_timestamp_nanos(), 1_500_000_000);
        let past_end =
            SystemTime::UNIX_EPOCH + Duration::from_millis(LATEST_AUDIT_TIME * 1000 + 500);
        assert_eq!(
            audit_moment(past_end).unix_timestamp_nanos(),
            253_402_300_799_000_000_000
        );
    }

    #[test]
    fn debug_shows_the_supplied_ca_by_length_only() {
        let ca = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
        let shown = format!(
            "{:?}",
            Policy::default().with_ca_pem(ca).with_passphrase(b"pw")
        );
        assert!(
            shown.contains(&format!("ca_pem: Some(<{} bytes>)", ca.len())),
            "{shown}"
        );
        assert!(!shown.contains("MIG") && !shown.contains("MII"), "{shown}");
        assert!(
            shown.contains("passphrase: Some(Passphrase(..))"),
            "{shown}"
        );
    }
}
