"""Use cases on top of the domain core and the models: the only layer that commits."""
