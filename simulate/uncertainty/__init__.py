"""Uncertainty: distributions of uncertain inputs, ensembles run on a backend, the chunked store of
their trajectories, sensitivity analysis and sweeps (a layer above the runs and questions)."""
