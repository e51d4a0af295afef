//! Liaison allocates with mimalloc rather than glibc's malloc.
//!
//! A streamed page allocates and frees tens of thousands of small objects (reactive owners,
//! views, JSON values). Under glibc a third of a page's CPU went to `malloc` and `free`; under
//! mimalloc a page costs about a quarter fewer instructions (callgrind, same binary otherwise)
//! and the partner page serves about a third more requests a second. Search, mostly SQLite's
//! own work, is unchanged: SQLite, being C, keeps glibc's malloc.
//!
//! Memory: mimalloc keeps freed pages for a second by default before it gives them back, and
//! with fifty pages of six hundred next steps in flight the server peaked at 82 MiB (glibc:
//! 63 MiB). Giving them back at once ([`give_memory_back_at_once`]) brought that to 58 MiB for
//! under one percent more instructions. Only `serve` does: a seed ran 10 % slower with it,
//! faulting in again the pages it had just given back. `bench/README.md` has the figures.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` of mimalloc's `mi_option_e` (`mimalloc.h`, v2 and v3 alike); the
/// Rust binding lists the options before it but not this one.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's own default purge delay, in milliseconds: what [`PURGE_DELAY`] reads before it
/// is set, which shows that the index still names that option.
const DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// Hands freed memory back to the system as soon as a page of it is free, unless
/// `MIMALLOC_PURGE_DELAY` says otherwise (mimalloc reads its options from the environment).
pub fn give_memory_back_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: reading and setting an option is thread-safe and has no other precondition.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) != DEFAULT_PURGE_DELAY {
            tracing::warn!("mimalloc's options moved; memory is given back on its default delay");
            return;
        }
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Catches an upgrade of mimalloc that renumbers its options (the setting would then
    /// quietly stop applying, and the peak memory of a busy server grow by a third).
    #[test]
    fn the_purge_delay_option_is_where_we_set_it() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: as above.
        let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        // No test calls `give_memory_back_at_once`, so the option still has its default.
        assert_eq!(
            delay, DEFAULT_PURGE_DELAY,
            "option {PURGE_DELAY} is not mimalloc's purge delay"
        );
    }
}
