//! All application state and the pure `update(state, msg) -> commands`. Knows state and rules,
//! nothing of HTTP or terminals: the worker turns `Command`s into I/O and answers with `Msg`s.
mod auth;
pub mod client_picker;
pub mod contacts;
pub mod conversations;
mod core;
pub mod editor;
pub mod help;
mod keys;
pub mod list;
pub mod log_view;
mod login;
pub mod mail;
pub mod mailboxes;
mod mouse;
pub mod outreach;
pub mod paged;
pub mod palette;
mod pane;
mod protocol;
pub mod rename;
mod state;
pub mod viewport;

pub use crate::settings::Settings;
pub use auth::TokenCheck;
pub use core::{Core, Level, StatusMessage};
pub use login::LoginPicker;
pub use pane::{Backend, Pane, Route, Tab};
pub use protocol::{
    ApiResult, Call, Command, Msg, Nav, PlannrCall, PlannrReply, Reply, RequestId, Timer, TokenRead,
};
pub use state::{State, global_help, update};
