//! In-memory TimeSync server (being written).
