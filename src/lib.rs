//! plannr-tui: a fast, safe terminal client for Plannr CRM.
//!
//! Layout (see README and `../shared/architecture.md`):
//! `api` typed HTTP client · `app` pure state/update · `ui` pure drawing · `worker` the only place
//! that awaits I/O · `render` text pipeline (sanitise, HTML→text, wrap) · `demo` the fake Plannr server
//! · `config` command line, environment and config file.
pub mod api;
pub mod app;
pub mod clock;
pub mod config;
pub mod demo;
pub mod drafts_guard;
pub mod keymap;
pub mod render;
pub mod settings;
pub mod ui;
pub mod worker;
