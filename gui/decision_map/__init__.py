"""The decision map tab: which strategy is recommended over any two inputs, live."""
