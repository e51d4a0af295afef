//! Liaison allocates with mimalloc rather than glibc's malloc.
//!
//! A streamed page allocates and frees tens of thousands of small objects (reactive owners,
//! views, JSON values). Under glibc a third of a page's CPU went to `malloc` and `free`; under
//! mimalloc a page costs about a quarter fewer instructions and the partner page serves about a
//! third more requests a second. SQLite, being C, keeps glibc's malloc.
//!
//! Memory: mimalloc keeps freed pages for a second before it gives them back. An operator who
//! wants them back at once (at under one percent more CPU) starts the server with
//! `MIMALLOC_PURGE_DELAY=0`, which the benchmark does.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
