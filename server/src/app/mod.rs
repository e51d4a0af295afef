//! The composition root: settings, the command line, logging, and the application that wires
//! the areas, the HTTP layers, the UI host and the job runner together.

pub mod cli;
pub mod config;
pub mod serve;
pub mod startup;
pub mod telemetry;
