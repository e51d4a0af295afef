//! Guards around Leptos 0.8's server-side rendering, each against a race seen here under load.
//! Both are kept until an upstream release makes them unnecessary; ARCHITECTURE.md says when.
//!
//! - [`render_to_end`]: a render whose client leaves midway is driven to its end instead of
//!   being dropped. Works around leptos-rs/leptos#4829 ("Server worker panics ('already been
//!   disposed') … when a client aborts an SSR stream"). It can go when a Leptos release fixes
//!   #4829 and the browser test's aborted-render check passes without it.
//! - [`page_tasks`]: a page's Leptos tasks run on the thread that serves the page, never beside
//!   each other on other workers. Works around a deadlock (seen with gdb: `use_context` holding
//!   an owner's read lock while dropping an ancestor whose cleanup wanted the write lock) and
//!   the Suspense hang of leptos-rs/leptos#4851, fixed upstream by leptos-rs/leptos#4853. It can
//!   go once Liaison is on a Leptos release with #4853 and a bench run under load shows neither
//!   a hang nor a panic without it.

pub mod page_tasks;
pub mod render_to_end;
