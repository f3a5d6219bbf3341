"""The input side of the main window: one tab per group of inputs, as a consultant thinks
each in a scroll area so every field is reachable on a 1366×768 screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.display import SERVING_MODE_FIELDS, TRAINING_VENUE_FIELDS
from engine.model.base import Section
from engine.model.project import Project
from engine.model.scenario import (
    COST_COMPONENTS,
    STRATEGIES,
    STRATEGY_COMPONENTS,
    STRATEGY_NAMES,
    Compliance,
    FineTuningSetup,
    HybridSetup,
    Knowledge,
    OwnedHardware,
    People,
    RagSetup,
    Requirements,
    Scenario,
    ServingMode,
    ServingOption,
    StrategyEffort,
    TrainingVenue,
    Weights,
    Workload,
)
from gui.binding import Binder, OptionalNumberAdapter
from gui.document import ProjectDocument
from gui.forms.builder import FormBuilder, Row, group
from gui.forms.catalog_text import CATALOG_OF_FIELD, default_figure, picker_entries
from gui.forms.currency import CurrencyAdapter
from gui.forms.fields import ChoiceCombo, NumberField, OptionalNumberField


class ScrollPage(QScrollArea):
    """A tab's page: its groups stacked, scrolling vertically (and horizontally if ever needed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.content = QWidget()
        self.layout_ = QVBoxLayout(self.content)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.setWidget(self.content)

    def add(self, widget: QWidget) -> None:
        self.layout_.addWidget(widget)

    def finish(self) -> None:
        self.layout_.addStretch(1)


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class InputPanel(QWidget):
    """Every input of the current scenario (and the project's own fields), bound to the document.

    The groups are pages chosen from a list on the left — tabs, stacked vertically so all eight
    stay visible in a narrow pane (a horizontal tab bar would need scroll arrows at 1366×768).
    """

    TAB_TITLES = (
        "Workload",
        "Knowledge",
        "Fine-tuning",
        "RAG",
        "Serving",
        "Requirements",
        "Weights",
        "Project",
    )

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setAccessibleName("Inputs")
        self.nav = QListWidget()
        self.nav.setAccessibleName("Input groups")
        self.nav.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Input group")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.currentRowChanged.connect(self._row_changed)
        self.stack.currentChanged.connect(self._page_changed)
        self.binder = Binder(document, self)
        entries = {
            name: picker_entries(document, catalog) for name, catalog in CATALOG_OF_FIELD.items()
        }
        self.builder = FormBuilder(
            self.binder,
            catalog_entries=entries,
            defaults=lambda path: default_figure(document, path),
        )
        self.pages: dict[str, QWidget] = {}
        self._rules: list[tuple[Row, Callable[[Scenario], bool]]] = []
        # Pages are built the first time they are shown (start-up builds only the first).
        self._factories: list[Callable[[], QWidget]] = []
        self._built: list[bool] = []
        self._lazy("Workload", Workload.section_title, self._workload_page)
        self._lazy("Knowledge", Knowledge.section_title, self._knowledge_page)
        self._lazy("Fine-tuning", FineTuningSetup.section_title, self._fine_tuning_page)
        self._lazy("RAG", "RAG setup and Hybrid setup", self._rag_page)
        self._lazy(
            "Serving",
            "How each strategy's answers are generated; flat cost overrides",
            self._serving_page,
        )
        self._lazy(
            "People",
            "People and operations: build effort and running effort per strategy",
            self._people_page,
        )
        self._lazy(
            "Hardware",
            "Owned hardware: servers bought and run by the client, as a cost per GPU-hour",
            self._hardware_page,
        )
        self._lazy("Requirements", Requirements.section_title, self._requirements_page)
        self._lazy("Weights", Weights.section_title, self._weights_page)
        self._lazy(
            "Project",
            "Project details and this scenario's name and description",
            self._project_page,
        )
        self.binder.after_refresh.append(self._apply_rules)
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 16)
        self.nav.setCurrentRow(0)

    # --- tab-like interface ----------------------------------------------------------------

    def _lazy(self, title: str, tooltip: str, factory: Callable[[], QWidget]) -> None:
        self._factories.append(factory)
        self._built.append(False)
        holder = QWidget()  # the real page goes in here when it is first shown
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(holder)
        self.nav.addItem(title)
        item = self.nav.item(self.nav.count() - 1)
        metrics = self.nav.fontMetrics()
        item.setSizeHint(QSize(metrics.horizontalAdvance(title) + 24, metrics.height() + 12))
        item.setToolTip(tooltip)

    def ensure_built(self, index: int) -> QWidget:
        """The page at ``index``, built now if it has not been shown yet."""
        holder = self.stack.widget(index)
        assert holder is not None
        layout = holder.layout()
        assert layout is not None
        if not self._built[index]:
            self._built[index] = True
            page = self._factories[index]()
            page.setAccessibleName(f"{self.tabText(index)} inputs")
            layout.addWidget(page)
            self.pages[self.tabText(index)] = page
            self._apply_rules()
        item = layout.itemAt(0)
        built = item.widget() if item is not None else None
        assert built is not None
        return built

    def ensure_all_built(self) -> None:
        for index in range(self.count()):
            self.ensure_built(index)

    def count(self) -> int:
        return self.stack.count()

    def currentIndex(self) -> int:
        return self.stack.currentIndex()

    def setCurrentIndex(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def widget(self, index: int) -> QWidget:
        return self.ensure_built(index)

    def tabText(self, index: int) -> str:
        return self.nav.item(index).text()

    def _row_changed(self, index: int) -> None:
        if index >= 0:
            self.ensure_built(index)
            self.stack.setCurrentIndex(index)

    def _page_changed(self, index: int) -> None:
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)

    # --- tabs ------------------------------------------------------------------------------

    def _section_page(
        self, model: type[Section], prefix: tuple[str, ...], *, title: str = "", intro: str = ""
    ) -> ScrollPage:
        page = ScrollPage()
        box, form = group(title or model.section_title)
        if intro:
            form.addRow(_intro(intro))
        self.builder.add_model_fields(form, model, prefix)
        page.add(box)
        page.finish()
        return page

    def _workload_page(self) -> QWidget:
        return self._section_page(Workload, ("workload",))

    def _knowledge_page(self) -> QWidget:
        return self._section_page(Knowledge, ("knowledge",), title="Knowledge & freshness")

    def _weights_page(self) -> QWidget:
        page = ScrollPage()
        page.add(self._override_box("weights", "own_weights"))
        box, form = group(Weights.section_title)
        form.addRow(
            _intro(
                "How much each criterion counts in the recommendation. Only the ratios "
                "matter: the weighted total divides by the sum of the weights."
            )
        )
        self.builder.add_model_fields(form, Weights, ("weights",))
        page.add(box)
        page.finish()
        return page

    def _override_box(self, section: str, flag: str) -> QWidget:
        """Whose requirements/weights the page shows: the project's, or this scenario's own."""
        box, form = group("Applies to")
        note = _intro("")
        note.setObjectName(f"{section}_scope")
        form.addRow(note)
        self.builder.add_field(form, Scenario, flag, ())

        def update(scenario: Scenario) -> bool:
            own = bool(getattr(scenario, flag))
            note.setText(
                f"Override: these {section} are this scenario's own ('{scenario.name}'); the "
                "comparison and the report mark them as such."
                if own
                else f"These {section} are the project's: they apply to every scenario that "
                "does not override them."
            )
            return True

        self._rule((flag,), update)
        return box

    def _hardware_page(self) -> QWidget:
        return self._section_page(
            OwnedHardware,
            ("owned_hardware",),
            intro="Servers the client buys and runs. They become an effective cost per "
            "GPU-hour (amortised purchase + power + hosting + support over a 730-hour month), "
            "used wherever 'Own servers' is picked as the GPU offer (Serving, Fine-tuning). "
            "Serving pays for whole servers, idle GPUs included; if the servers are shared "
            "with other work, enter the client's share (its part of the price, the GPUs it "
            "gets). The breakdown shows the capex — the servers to buy — beside it.",
        )

    def _people_page(self) -> QWidget:
        page = ScrollPage()
        box, form = group(People.section_title)
        form.addRow(
            _intro(
                "The effort to build and to run each strategy. Build activities are hours at "
                "the engineering rate (Workload page); running roles are fractions of a "
                "full-time person at the loaded annual cost. An empty field uses the default "
                "sized by the strategy, its serving and the compliance items ticked; the "
                "breakdown shows each default's source (most are planning assumptions)."
            )
        )
        self.builder.add_model_fields(form, People, ("people",), only=("include",))
        self.builder.add_model_fields(form, People, ("people",), only=("loaded_annual_cost",))
        self.builder.add_model_fields(form, People, ("people",), only=("ml_ops_in_house",))
        page.add(box)
        for key in STRATEGIES:
            box, form = group(STRATEGY_NAMES[key])
            self.builder.add_model_fields(form, StrategyEffort, ("people", key))
            page.add(box)
            for name in StrategyEffort.model_fields:
                self._rule(("people", key, name), lambda s: s.people.include)
        self._rule(("people", "loaded_annual_cost"), lambda s: s.people.include)
        self._rule(("people", "ml_ops_in_house"), lambda s: s.people.include)
        page.finish()
        return page

    def _fine_tuning_page(self) -> QWidget:
        page = ScrollPage()
        model, prefix = FineTuningSetup, ("fine_tuning",)
        box, form = group("Model and method")
        self.builder.add_model_fields(
            form, model, prefix, only=("base_model", "method", "venue", "epochs", "trial_runs")
        )
        page.add(box)
        box, form = group("Training compute")
        self.builder.add_model_fields(form, model, prefix, only=TRAINING_VENUE_FIELDS["gpus"])
        self.builder.add_model_fields(
            form,
            model,
            prefix,
            only=TRAINING_VENUE_FIELDS["managed_api"],
        )
        page.add(box)
        box, form = group("Engineering and retraining")
        self.builder.add_model_fields(
            form,
            model,
            prefix,
            only=(
                "engineering_hours",
                "retrain_interval_days",
                "retrain_to_meet_freshness",
                "retrain_data_share_pct",
                "retrain_engineering_hours",
                "lead_time_days",
            ),
        )
        page.add(box)
        page.finish()
        for name in TRAINING_VENUE_FIELDS["gpus"]:
            self._rule(("fine_tuning", name), lambda s: s.fine_tuning.venue == TrainingVenue.gpus)
        for name in TRAINING_VENUE_FIELDS["managed_api"]:
            self._rule(
                ("fine_tuning", name), lambda s: s.fine_tuning.venue == TrainingVenue.managed_api
            )
        missing = set(model.model_fields) - {p[-1] for p in self.builder.rows if p[0] == prefix[0]}
        assert not missing, f"fine-tuning fields without a row: {missing}"
        return page

    def _rag_page(self) -> QWidget:
        page = ScrollPage()
        box, form = group(RagSetup.section_title)
        self.builder.add_model_fields(form, RagSetup, ("rag",))
        page.add(box)
        box, form = group(HybridSetup.section_title)
        form.addRow(
            _intro(
                "The hybrid fine-tunes the model above (Fine-tuning tab) and retrieves from the "
                "index above; these are the inputs where it differs."
            )
        )
        self.builder.add_model_fields(form, HybridSetup, ("hybrid",))
        page.add(box)
        page.finish()
        return page

    def _serving_page(self) -> QWidget:
        inner = QTabWidget()
        inner.setDocumentMode(True)
        inner.setAccessibleName("Serving per strategy")
        for key in STRATEGIES:
            sub = ScrollPage()
            prefix = ("serving", key)
            box, form = group(f"{STRATEGY_NAMES[key]}: serving")
            skip = () if key == "rag" else ("self_hosted_model",)
            self.builder.add_model_fields(form, ServingOption, prefix, skip=skip)
            sub.add(box)
            sub.add(self._overrides_group(key))
            sub.finish()
            inner.addTab(sub, STRATEGY_NAMES[key])
            for name in SERVING_MODE_FIELDS["api"]:
                self._rule((*prefix, name), _mode_is(key, ServingMode.api))
            for name in SERVING_MODE_FIELDS["self_hosted"]:
                if name not in skip:
                    self._rule((*prefix, name), _mode_is(key, ServingMode.self_hosted))
        # The serving tab scrolls inside each strategy's own page.
        self.serving_tabs = inner
        return inner

    def _overrides_group(self, strategy: str) -> QWidget:
        box, form = group(f"{STRATEGY_NAMES[strategy]}: flat cost overrides")
        form.addRow(
            _intro(
                "Tick a component to replace the computed figure with your own (the seed "
                "article's scenarios are entered this way). Unticked, the computed figure is "
                "shown greyed out."
            )
        )
        for component in STRATEGY_COMPONENTS[strategy]:
            label, kind, unit = COST_COMPONENTS[component]
            key = f"{strategy}.{component}"
            path = ("cost_overrides", key)
            widget = OptionalNumberField(
                minimum=0.0,
                maximum=1e15,
                unit=unit,
                own_text="Override the computed figure",
                default_text="computed",
            )
            adapter = OptionalNumberAdapter(widget, default_figure(self.document, path))
            tooltip = (
                f"{label} ({kind.replace('_', ' ')}) for {STRATEGY_NAMES[strategy]}: tick to "
                "replace the computed figure with a flat one."
            )
            self.builder.add_row(
                form, path, widget, label, tooltip, unit=unit, estimate=False, adapter=adapter
            )
        return box

    def _requirements_page(self) -> QWidget:
        page = ScrollPage()
        page.add(self._override_box("requirements", "own_requirements"))
        box, form = group("Targets")
        self.builder.add_model_fields(form, Requirements, ("requirements",), skip=("compliance",))
        page.add(box)
        box, form = group("Compliance checklist")
        form.addRow(
            _intro(
                "Each item you mark is a requirement. A strategy that fails a hard requirement "
                "is excluded from the recommendation (it stays visible, marked)."
            )
        )
        self.builder.add_model_fields(form, Compliance, ("requirements", "compliance"))
        page.add(box)
        page.finish()
        return page

    def _project_page(self) -> QWidget:
        page = ScrollPage()
        box, form = group("This scenario")
        self.builder.add_model_fields(form, Scenario, (), only=("name", "description"))
        page.add(box)
        box, form = group("Project")
        self.builder.add_model_fields(
            form, Project, (), only=("title", "client", "consultant", "quote_date")
        )
        editor = QLineEdit()
        editor.setMaxLength(3)
        info_currency = Project.model_fields["currency"]
        self.builder.add_row(
            form,
            ("currency",),
            editor,
            "Currency",
            (info_currency.description or "")
            + " Changing it asks for the exchange rate, so no US-dollar figure is relabelled.",
            adapter=CurrencyAdapter(editor, self.document),
        )
        rate = NumberField(minimum=1e-6, maximum=1e6, unit="per USD")
        rate.setValue(1.0)
        info = Project.model_fields["usd_exchange_rate"]
        self.builder.add_row(
            form,
            ("usd_exchange_rate",),
            rate,
            "Exchange rate",
            info.description or "",
            unit="money per USD",
        )
        distribution = ChoiceCombo(
            [("Triangular", "triangular"), ("PERT (smooth, peaks at the likely value)", "pert")]
        )
        self.builder.add_row(
            form,
            ("distribution",),
            distribution,
            "Range distribution",
            Project.model_fields["distribution"].description or "",
        )
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setMinimumHeight(notes.fontMetrics().lineSpacing() * 6)
        self.builder.add_row(
            form, ("notes",), notes, "Notes", "Notes about the engagement (plain text)."
        )
        page.add(box)
        page.finish()
        return page

    # --- conditional rows ------------------------------------------------------------------

    def _rule(self, path: tuple[str, ...], applies: Callable[[Scenario], bool]) -> None:
        row = self.builder.rows.get(path)
        if row is not None:
            self._rules.append((row, applies))

    def _apply_rules(self) -> None:
        scenario = self.document.scenario
        for row, applies in self._rules:
            row.set_enabled(applies(scenario))

    # --- lookup (tests, navigation) ----------------------------------------------------------

    def row(self, *path: str) -> Row:
        if tuple(path) not in self.builder.rows:
            self.ensure_all_built()
        return self.builder.rows[tuple(path)]

    def widget_for(self, *path: str) -> QWidget:
        return self.row(*path).binding.widget

    def show_field(self, *path: str) -> QWidget:
        """Bring a field into view: select the tabs it is on and scroll to it."""
        widget = self.widget_for(*path)
        ancestor = widget.parentWidget()
        while ancestor is not None:
            if isinstance(ancestor, QTabWidget | QStackedWidget):
                for i in range(ancestor.count()):
                    page = ancestor.widget(i)
                    if page is not None and (page is widget or page.isAncestorOf(widget)):
                        ancestor.setCurrentIndex(i)
            ancestor = ancestor.parentWidget()
        row = self.row(*path).field_row
        ancestor = row.parentWidget()
        while ancestor is not None:
            if isinstance(ancestor, QScrollArea):
                ancestor.ensureWidgetVisible(row, 8, 8)
            ancestor = ancestor.parentWidget()
        return widget


def _mode_is(key: str, mode: ServingMode) -> Callable[[Scenario], bool]:
    return lambda s: s.serving.for_strategy(key).mode == mode
