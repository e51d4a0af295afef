//! Activities: logged contacts with a partner (call, meeting, email, WeChat, note), each with an
//! optional next step that is a task until marked done. The partner's timeline and the list of
//! open next steps.

pub mod entities;
pub mod routes;
pub mod service;
pub mod store;
