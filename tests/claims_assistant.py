"""A project shaped like an EU insurer's claims assistant: every strategy self-hosts a 70B model
on H100s (data must stay in region), 1,000,000 queries/month growing 3 % a month over 24 months.

Its three cost curves weave round each other as the replicas of the three strategies step in
turn: with today's catalog the crossover search finds seven crossings between about 435,000 and
650,000 queries/month, three of them fine-tuning and hybrid crossing within 2 % of each other (one
near-tie band).  Tests derive their expectations from ``evaluate()`` rather than these figures.
Built from the support-assistant template so it follows the file format as it evolves.
"""

from __future__ import annotations

from engine.model.project import Project
from engine.templates import load_template

MODEL, GPU = "llama-3.1-70b", "h100-sxm"

# RAG GPUs for ``clustered_crossovers_project`` (with today's catalog): on RTX 4090s the
# crossings cluster with a near-tie among them (seven chart labels, one a tie band); on B200s
# there are more crossings and near-ties (45) than the chart will number.
TIED_CLUSTER_GPU = "rtx-4090"
CROWDED_GPU = "b200"


def claims_assistant_project() -> Project:
    template = load_template("support-assistant")
    scenario = template.scenarios[0]
    data = scenario.model_dump(mode="json")
    data["name"] = "Claims assistant"
    data["description"] = "Claims handlers' questions on policy wording, answered in region."
    data["fine_tuning"]["base_model"] = MODEL
    for key in ("fine_tuning", "rag", "hybrid"):
        data["serving"][key]["mode"] = "self_hosted"
        data["serving"][key]["self_hosted_model"] = MODEL
        data["serving"][key]["gpu"] = GPU
    data["workload"]["queries_per_month"] = {"likely": 1_000_000, "low": 600_000, "high": 1_500_000}
    data["workload"]["monthly_growth_pct"] = 3
    data["requirements"]["compliance"]["data_residency"] = "preferred"
    return template.model_copy(
        update={
            "title": "Claims assistant",
            "client": "EU insurer",
            "scenarios": [type(scenario).model_validate(data)],
        }
    )


def clustered_crossovers_project(rag_gpu: str = "a100-80gb") -> Project:
    """The claims assistant without growth, RAG served on other GPUs: every replica step of
    one strategy is a step of its whole TCO curve, so the curves cross over and over —
    crossings close together on the chart (with today's catalog, eight between about 0.5 and
    1.5 million queries/month with RAG on A100s; see ``TIED_CLUSTER_GPU`` and ``CROWDED_GPU``
    for a cluster with a near-tie and one too crowded to number)."""
    project = claims_assistant_project()
    scenario = project.scenarios[0]
    data = scenario.model_dump(mode="json")
    data["name"] = "Claims assistant, flat volume"
    data["workload"]["monthly_growth_pct"] = 0
    data["serving"]["rag"]["gpu"] = rag_gpu
    return project.model_copy(update={"scenarios": [type(scenario).model_validate(data)]})
