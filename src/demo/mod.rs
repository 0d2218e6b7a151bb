//! The fake Plannr server (axum) and its dataset.
