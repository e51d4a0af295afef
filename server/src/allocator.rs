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

//!
//! The allocator is ours rather than the `mimalloc` crate's: that one asks for every block
//! through `mi_malloc_aligned`, whose extra checks were 6 % of a partner page's instructions
//! (callgrind). Like the standard library's `System`, [`MiMalloc`] asks for plain `mi_malloc`
//! whenever mimalloc's own alignment already satisfies the layout.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// Every block `mi_malloc` returns is aligned to this (`MI_MAX_ALIGN_SIZE`, the alignment of
/// `max_align_t`), and blocks smaller than it to their size's largest power of two, which a
/// layout's alignment never exceeds.
const MALLOC_ALIGN: usize = 16;

/// Whether `mi_malloc`'s own alignment serves a block of `size` bytes aligned to `align`: the
/// test `std`'s `System` allocator makes for `malloc`.
fn plain(align: usize, size: usize) -> bool {
    align <= MALLOC_ALIGN && align <= size
}

pub struct MiMalloc;

// SAFETY: each method hands the layout's size (and, where it matters, alignment) to the
// mimalloc call that honours it, and frees only what mimalloc allocated.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions take any size and return null on failure.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from mimalloc; the new block keeps the layout's alignment.
        unsafe {
            if plain(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

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

    /// Blocks of every size and alignment a program asks for come back aligned, and keep
    /// their contents when they grow or shrink.
    #[test]
    fn blocks_are_aligned_and_keep_their_contents() {
        for align in [1, 2, 4, 8, 16, 32, 64, 128, 4096] {
            for size in [1, 3, 8, 15, 16, 17, 24, 48, 100, 1000, 70_000] {
                let Ok(layout) = Layout::from_size_align(size.max(align), align) else {
                    continue;
                };
                // SAFETY: the layout is valid and non-zero; each block is freed once, through
                // the allocator that made it.
                unsafe {
                    let block = GLOBAL.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "size {size}, align {align}");
                    block.write_bytes(0xa5, layout.size());
                    let grown = GLOBAL.realloc(block, layout, layout.size() * 3);
                    assert_eq!(
                        grown as usize % align,
                        0,
                        "grown: size {size}, align {align}"
                    );
                    assert!((0..layout.size()).all(|i| *grown.add(i) == 0xa5));
                    let grown_layout = Layout::from_size_align(layout.size() * 3, align).unwrap();
                    let zeroed = GLOBAL.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0);
                    assert!((0..layout.size()).all(|i| *zeroed.add(i) == 0));
                    GLOBAL.dealloc(zeroed, layout);
                    GLOBAL.dealloc(grown, grown_layout);
                }
            }
        }
    }

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
