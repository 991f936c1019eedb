//! TimeSync protocol core (being written).
