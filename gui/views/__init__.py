"""Result views: scorecard, cost breakdown, scenario comparison, "show your work" and the
methodology.  They display an engine Evaluation; they never compute a cost."""
