"""Help → Methodology: every formula the engine uses and where it comes from.

The text is a module-level constant (``METHODOLOGY_HTML``) written from the engine's docstrings
and SPEC §3, so the printed report can reuse it.  It is our own static HTML (no project strings),
shown in a QTextBrowser that loads nothing: no remote resources, no files, links inside the page
only.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

METHODOLOGY_TITLE = "Methodology: how FTRAG Advisor computes its answer"

METHODOLOGY_HTML = """
<h1>How FTRAG Advisor computes its answer</h1>
<p>Every figure the app shows is computed from the scenario's inputs by the formulas below, and
every figure can be opened ("show your work") to see its formula and the input values that
produced it. Money is in the project's currency; catalog and API prices are in US dollars and are
converted with the project's exchange rate. A month is a twelfth of a year (30.42 days, 730 hours
always-on; business hours are 10 h × 22 days = 220 hours). Where an input is given as a range, the
deterministic figures use its likely value.</p>

<p><b>Contents:</b>
<a href="#tco">Total cost</a> ·
<a href="#training">Training compute</a> ·
<a href="#rag">RAG costs</a> ·
<a href="#serving">Serving</a> ·
<a href="#latency">Latency</a> ·
<a href="#freshness">Freshness</a> ·
<a href="#compliance">Compliance</a> ·
<a href="#fit">Fit</a> ·
<a href="#scoring">Scoring</a> ·
<a href="#crossover">Crossovers</a> ·
<a href="#seed">The seed article</a> ·
<a href="#references">References</a></p>

<h2><a name="tco"></a>1. Total cost of ownership</h2>
<p>For each strategy <i>s</i> (fine-tuning, RAG, hybrid), over a horizon of <i>H</i> months:</p>
<p class="formula"><b>TCO<sub>s</sub>(Q) = one-time<sub>s</sub> + Σ<sub>month m</sub>
[ monthly<sub>s</sub>(Q<sub>m</sub>) + Q<sub>m</sub> × per-query<sub>s</sub> ]
+ retrains<sub>s</sub> × cost per retrain<sub>s</sub></b></p>
<p>Q<sub>m</sub> = Q × (1 + g)<sup>m</sup> is the volume of month <i>m</i> with monthly growth
<i>g</i>. Every component is reported separately, with its kind: <i>one-time</i>,
<i>monthly</i>, <i>per query</i> or <i>per retrain</i>. Monthly costs may depend on the month's
volume (self-hosted replicas, vector-store minimums), which makes TCO a step function of volume.
Any component can be replaced by a flat figure the consultant types in (an <i>override</i>, marked
wherever it is used); the seed article works this way.</p>
<ul>
<li><b>Fine-tuning</b>: one-time = training compute + data preparation (examples × cost per example
+ lump sum) + engineering set-up (hours × rate); monthly = serving; per retrain = (GPU-hours of one
run × share of data retrained + job overhead) × price per GPU-hour + examples × share × cost per
example + retrain engineering hours × rate.</li>
<li><b>RAG</b>: one-time = embedding the corpus + engineering set-up; monthly = vector store +
re-embedding changed documents (+ serving if self-hosted); per query = query embedding + vector
search reads + generation with the longer prompt.</li>
<li><b>Hybrid</b>: the fine-tuning one-time costs (on the share of examples the hybrid trains on,
usually a style/format run, retrained rarely) + both pipelines' engineering + the RAG monthly
costs + per-query generation on the fine-tuned model with its own (usually smaller) top-k.</li>
</ul>
<p>Retrains inside the horizon = ⌈horizon days ÷ retrain interval⌉ − 1. When asked, the retrain
interval is shortened to meet the freshness target: interval = target − lead time.</p>

<h2><a name="training"></a>2. Training compute, GPU-hours and memory</h2>
<p class="formula"><b>FLOPs = c × N × D × epochs</b> &nbsp; (per run)</p>
<p><i>N</i> = model parameters, <i>D</i> = training tokens (examples × tokens per example).
<i>c</i> = 6 for full fine-tuning (2N forward + 4N backward per token), ≈ 4 for LoRA and QLoRA
(frozen weights need no weight gradients), + 2 with activation recomputation (one more forward
pass).</p>
<p class="formula"><b>GPU-hours = ( FLOPs ÷ (peak FLOP/s × MFU) ÷ 3600 + job overhead ) × trial
runs</b></p>
<p>Peak is the GPU's dense BF16 throughput from the datasheet (not the "with sparsity" figure);
MFU, the model FLOPs utilisation, is typically 0.35–0.45. Training cost = GPU-hours × price per
GPU-hour; wall-clock time = GPU-hours ÷ GPUs used.</p>
<p><b>Memory</b> while training ≈ N × bytes per parameter × 1.2 (activations, fragmentation,
CUDA context): 16 bytes/parameter for full fine-tuning with mixed-precision AdamW (weights,
gradients, two optimizer moments, master weights), ≈ 2 for LoRA (16-bit frozen weights +
small adapters), ≈ 0.6 for QLoRA (4-bit weights). That state is sharded across the GPUs
(ZeRO-3 / FSDP), each holding its GPU memory (GPU memory is sold in binary units: an "80 GB" H100
holds 80 GiB = 85.9 GB). The GPUs typed are used when the state fits them; otherwise the app
raises the count to the smallest count that fits among those GPUs are rented in — 1, 2, 4, then
whole 8-GPU servers — and says so beside the count, in the warnings and in the report. Full
fine-tuning of a 70B model (1,355 GB) takes 16 H100s.</p>
<p><b>Managed fine-tuning API</b>: cost = price per million training tokens × D × epochs × trial
runs ÷ 10<sup>6</sup>.</p>

<h2><a name="rag"></a>3. RAG costs</h2>
<ul>
<li><b>Embedding the corpus</b> = corpus tokens × embedding price per million tokens ÷
10<sup>6</sup>; <b>re-embedding</b> per month = corpus tokens × share changed per month × price ÷
10<sup>6</sup>.</li>
<li><b>Vector store</b> per month = fixed fee + storage GB × price per GB-month + writes × price,
<b>topped up to the plan's monthly minimum</b>; vectors = ⌈corpus tokens ÷ chunk size⌉, storage =
vectors × (dimensions × 4 bytes + text and metadata bytes).</li>
<li><b>Per query</b>: query embedding (prompt tokens × embedding price) + vector search reads (read
units per query × price per read unit) + <b>generation</b> =
((prompt tokens + k × chunk tokens) × input price + output tokens × output price) ÷
10<sup>6</sup>. Retrieval makes every prompt longer by k × chunk tokens: that is usually RAG's
largest running cost.</li>
</ul>

<h2><a name="serving"></a>4. Self-hosted serving</h2>
<p class="formula"><b>GPUs per replica g</b> = the smallest tensor-parallel count that divides the
model's attention heads (up to 8 GPUs, one server; above that, whole servers) such that
<b>weights ÷ g + KV-cache share + 2 GiB ≤ 0.9 × GPU memory</b></p>
<p>Weights = N × bytes per parameter (2 for 16-bit, 1 for 8-bit, ≈ 0.5 for 4-bit); the KV cache
holds every concurrent request's prompt and answer: requests × (prompt + output tokens) × 2 ×
layers × KV heads × head dimension × 2 bytes, split across the GPUs (each GPU keeps at least one
KV head). 0.9 is vLLM's default <i>gpu_memory_utilization</i> (the share of GPU memory a serving
engine takes for weights, activations and KV cache); 2 GiB per GPU covers the CUDA context, the
communication buffers and the activation peak of a batch. The count can be typed (<i>GPUs per
replica</i>); a count that does not fit, or that the heads cannot be split over, is raised to the
next one that does, and the figure, the warnings and the report say so. Example: a 70B model in
16-bit has 141 GB of weights. On two 80 GB H100s each GPU holds 70.6 GB of weights out of
75.2 GB usable, which leaves 4.6 GB per GPU (9.2 GB) for KV cache — about 28,000 tokens, e.g.
one request of 800 tokens: two GPUs. Sixteen concurrent RAG requests of 3,200 tokens need
16.8 GB of KV cache: four GPUs.</p>
<p class="formula"><b>time per query = prefill + output tokens × decode step at full batch ÷
concurrent requests</b></p>
<p class="formula"><b>replicas = max(1, ⌈ peak queries per second × time per query ÷ target
utilisation ⌉)</b></p>
<p class="formula"><b>monthly cost = replicas × GPUs per replica × serving hours × price per
GPU-hour</b></p>
<p>A replica processes a query's prompt (prefill, compute-bound) on its own — prefill does not
overlap other work — while decode steps are shared by all the requests in the batch. The peak query
rate is the monthly volume spread over the serving hours × the peak-to-average factor. The target
utilisation (default 0.75) keeps the queue short: for a server with fixed service time the average
wait is ρ ÷ (2(1 − ρ)) service times — 1.5 at 0.75, 4.5 at 0.9. Because replicas are whole
machines, cost rises in steps as volume grows. API serving has no fixed part: its price is per
token.</p>

<h2><a name="latency"></a>5. Latency (p50, per query)</h2>
<ul>
<li><b>API</b>: time to first token = retrieval + provider's time to first token + prompt tokens ÷
prefill rate; full answer = time to first token + output tokens ÷ decode rate (provider figures,
editable).</li>
<li><b>Self-hosted, from first principles</b> (roofline): prefill ≈ 2 × N × prompt tokens ÷
(GPUs × peak FLOP/s × MFU); a decode step takes max(bytes read per GPU ÷ (memory bandwidth ×
efficiency), 2 × N × batch ÷ compute), reading each GPU's share of the weights once plus its share
of every request's KV cache. With more than one GPU, tensor parallelism adds 2 all-reduces per
layer (one after attention, one after the MLP): each ≈ latency + 2(g − 1)/g × activation bytes ÷
link bandwidth, with about 10 µs and 200 GB/s over NVLink and 25 µs and 20 GB/s over PCIe (orders
of magnitude from NCCL's all-reduce benchmarks). One request therefore decodes at most ≈ GPUs ×
bandwidth × efficiency ÷ weight bytes tokens per second: a 70B model in 16-bit, on two 80 GB H100s
at 2 × 3.35 TB/s, ≈ 48 tokens/s before KV-cache reads, efficiency and all-reduces. Latency is taken
at the peak hour with the replicas the volume needs: a replica busy a share ρ of the time decodes
about ρ × concurrent requests together, and other queries' prefills stretch each decode step by
1 ÷ (1 − queries per second per replica × prefill time). Queueing is not included.</li>
<li><b>Retrieval</b> adds query embedding + vector search (the seed quotes 50–200 ms) before
generation, and the longer prompt lengthens prefill.</li>
</ul>

<h2><a name="freshness"></a>6. Freshness</h2>
<ul>
<li>Fine-tuning: average staleness = retrain interval ÷ 2 + lead time (prepare, train, evaluate,
deploy); worst case = retrain interval + lead time.</li>
<li>RAG: average = re-index interval ÷ 2 + ingestion lag; worst = re-index interval + ingestion
lag.</li>
<li>Hybrid: facts come through retrieval, so it is as fresh as RAG.</li>
</ul>
<p>Meeting a freshness target may force a retrain cadence; the cost of those retrains is in the
fine-tuning TCO.</p>

<h2><a name="compliance"></a>7. Compliance checklist</h2>
<p>Each ticked item is a requirement, <i>preferred</i> or <i>hard</i>. Each rule looks at the
parts a strategy uses in this scenario (who trains the model, who serves it, where embeddings and
vectors live) and gives a verdict — <i>meets</i>, <i>needs mitigation</i> (which, and roughly what
it costs) or <i>fails</i> — with a one-line reason and a reference. A strategy that fails a
<b>hard</b> requirement is excluded from the recommendation; it stays visible, marked, with the
reason.</p>
<ul>
<li><b>Answers must cite their sources</b>: retrieval can quote the passages behind an answer;
fine-tuned weights cannot.</li>
<li><b>Data must stay on-premise / in a region</b>: fails for every part that sends data to a third
party (API model, managed fine-tuning, hosted embeddings or vector store).</li>
<li><b>Right to erasure (GDPR Art. 17)</b>: deleting a document and its vectors removes it from
RAG at once; knowledge trained into weights needs a retrain without the person's data, within
the one-month deadline of Art. 12(3) (SISA sharded training reduces it to one shard).</li>
<li><b>Per-user / per-tenant access control</b>: retrieval filters documents by permission
before the model sees them; a fine-tuned model cannot un-know what it was trained on.</li>
<li><b>Personal or regulated training data</b>: models can memorise and repeat training data
(Carlini et al. 2021); de-identify and test for extraction.</li>
<li><b>Reproducible, versioned outputs</b> (model risk management): pin model snapshots and index
versions, and log them with every answer.</li>
<li><b>Vendor deprecation</b>: a managed fine-tune is retired with its base model; open weights on
your own infrastructure are not.</li>
</ul>
<p>Compliance score = weighted mean of the verdicts (meets 100, needs mitigation 60, fails 0;
hard items count double).</p>

<h2><a name="fit"></a>8. Fit</h2>
<p>Six indicators, each 0–100 with its reason, following the seed article's "fine-tune when / RAG
wins when" lists and the literature: labelled examples available (&lt; 100 risky, ~1,000 reliable,
≥ 10,000 excellent, interpolated on a log scale); share of out-of-domain questions; whether the
documents contain the answers; need for a fixed style or format; how fast facts change (for new
factual knowledge, retrieval beats unsupervised fine-tuning: Ovadia et al. 2023); query variety.
The hybrid takes the better score where fine-tuning and retrieval gains add up (Balaguer et al.
2024) and sits half-way where it inherits fine-tuning's weakness. The fit score is the mean of the
indicators.</p>

<h2><a name="scoring"></a>9. Scores, weights and the recommendation</h2>
<ul>
<li><b>Cost</b>: the cheapest TCO scores 100; others 100 × cheapest ÷ their TCO.</li>
<li><b>Latency</b>: 100 at or under the target (full answer and first token), falling linearly to
0 at three times the target; the worse of the two counts.</li>
<li><b>Freshness</b>: 100 when the worst-case staleness meets the target, else 100 × target ÷
worst case.</li>
<li><b>Compliance</b> and <b>fit</b>: as above.</li>
</ul>
<p class="formula"><b>weighted total = Σ weight × score ÷ Σ weights</b></p>
<p>The recommendation is the eligible strategy (not excluded) with the highest weighted total; its
margin is the lead over the runner-up in points, and the reasons name the criteria that contribute
most to the lead. <b>What would change the answer</b>: the nearest cost crossovers around today's
volume, and for each weight the value (0–100, others fixed) at which the winner flips — exact,
because two weighted totals are equal at exactly one weight.</p>

<h2><a name="crossover"></a>10. Crossovers and payback</h2>
<p>Because self-hosting makes cost a step function of volume, crossovers are found numerically,
all of them: the TCO difference of every pair of strategies is sampled on a logarithmic grid from
1 to 10<sup>13</sup> queries per month (100 points per decade), every sign change is bracketed,
and each bracket is narrowed until it is 10<sup>−10</sup> of its volume wide. The chart marks each
crossover and says which strategy is cheaper above it. Payback: the month in which a strategy's
extra up-front spend has been recovered by its lower running cost, against the strategy with the
smallest up-front spend, at the scenario's own volume.</p>

<h2><a name="seed"></a>11. The seed article, and why its totals are wrong</h2>
<p>The product started from a vendor blog post, "Fine-Tuning vs RAG: When to Use Which (Cost
Analysis)". Its cost structure and rules of thumb are useful; its arithmetic is not. From its own
inputs:</p>
<table border="1" cellspacing="0" cellpadding="4">
<tr><th>Scenario (one year)</th><th>Article says</th><th>Its inputs give</th></tr>
<tr><td>Small company, fine-tuning: $100 + $1,000 data prep + $50/month</td><td>$2,000</td>
<td>$1,700</td></tr>
<tr><td>Small company, RAG: $50/month + 1,000 queries/month × $0.11</td><td>$14,400</td>
<td>$1,920</td></tr>
<tr><td>Enterprise, fine-tuning: $1,500 + $15,000 data prep + $1,000/month</td><td>$43,500</td>
<td>$28,500</td></tr>
<tr><td>Enterprise, RAG: $500/month + 1,000,000 queries/month × $0.11</td><td>$45,600</td>
<td>$1,326,000</td></tr>
</table>
<p>The article multiplies by the wrong volumes ("100 queries × $0.11 = $11/query month =
$1,100/month"; "1M × 30 × $0.11 = $3,300/month"). So its conclusions do not follow: for the small
company fine-tuning is cheaper, but its $1,100 up-front spend saves $110 a month and pays back in
10 months, not "3–4 months"; for the enterprise the costs are not at "parity" — RAG costs 46 times
more. With its inputs the crossover is at ≈ 833 queries/month for the small company and ≈ 17,045
queries/month for the enterprise: there is no single "fine-tuning becomes cheaper at 10K+ queries
monthly" threshold. The seed scenarios ship as templates so the corrected figures can be shown
beside the article's claims.</p>

<h2><a name="references"></a>12. References</h2>
<ul>
<li>EleutherAI, "Transformer Math 101" (2023): training compute C ≈ 6·N·D; 2N forward + 4N
backward FLOPs per token; ~16 bytes per parameter for mixed-precision AdamW training.</li>
<li>Dettmers et al., "QLoRA: Efficient Finetuning of Quantized LLMs", arXiv 2305.14314 (2023):
4-bit base weights with LoRA adapters; a 65B model fine-tuned on one 48 GB GPU.</li>
<li>cli99, llm-analysis: per-layer latency = max(compute time, memory time); KV cache = 2 ×
layers × KV heads × head dimension × bytes per token; ~20 % memory overhead while training.</li>
<li>vLLM engine arguments (docs.vllm.ai): <i>gpu_memory_utilization</i> defaults to 0.9;
tensor-parallel size must divide the attention heads.</li>
<li>Shoeybi et al., "Megatron-LM", arXiv 1909.08053 (2019): tensor parallelism with two
all-reduces per transformer layer in each forward pass.</li>
<li>Ovadia et al., "Fine-Tuning or Retrieval? Comparing Knowledge Injection in LLMs", arXiv
2312.05934 (2023): for new factual knowledge, retrieval outperforms unsupervised fine-tuning.</li>
<li>Balaguer et al., "RAG vs Fine-tuning: Pipelines, Tradeoffs, and a Case Study on Agriculture",
arXiv 2401.08406 (2024): fine-tuning and retrieval gains are cumulative.</li>
<li>Lewis et al., "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks" (2020).</li>
<li>Carlini et al., "Extracting Training Data from Large Language Models" (2021).</li>
<li>Bourtoule et al., "Machine Unlearning" (SISA training, 2021).</li>
<li>Regulation (EU) 2016/679 (GDPR), Art. 17 (right to erasure) and Art. 12(3) (one month to
act); Arts. 28 and 44–46 (processors, transfers).</li>
<li>SR 11-7, Supervisory Guidance on Model Risk Management; EU AI Act Art. 12 (record-keeping).</li>
<li>GPU specifications and prices: the catalog shows each entry's source (vendor datasheets,
cloud price pages) and its "as of" date; API prices come from the bundled genai-prices snapshot,
whose version the app shows.</li>
</ul>
"""

_STYLE = """
h1 { font-size: 150%; margin-bottom: 6px; }
h2 { font-size: 120%; margin-top: 18px; margin-bottom: 4px; }
p, li { line-height: 130%; }
p.formula { margin-left: 18px; }
th { text-align: left; }
"""


class _OfflineBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing: no images, no files, no network."""

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None


class MethodologyDialog(QDialog):
    """Help → Methodology: the formulas and their references (non-modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Methodology")
        self.setObjectName("methodologyDialog")
        self.resize(820, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self._browser = _OfflineBrowser()
        self._browser.setAccessibleName("Methodology")
        self._browser.setOpenExternalLinks(False)
        self._browser.setOpenLinks(False)  # only in-page anchors, handled below
        self._browser.anchorClicked.connect(self._follow)
        self._browser.document().setDefaultStyleSheet(_STYLE)
        self._browser.setHtml(METHODOLOGY_HTML)
        layout.addWidget(self._browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def browser(self) -> QTextBrowser:
        return self._browser

    def _follow(self, url: QUrl) -> None:
        if url.hasFragment() and not url.scheme() and not url.path():
            self._browser.scrollToAnchor(url.fragment())
