"""Chart content: templates (data folders), seeded generation, rendering, validation, refreshers."""
