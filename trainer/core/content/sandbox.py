"""A Jinja sandbox with a budget, so a chart template cannot stall or flood a worker.

Supervisors write templates in the browser, and every save renders every variant. A template
like ``{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}`` or one
printing 5 MB must be refused in milliseconds with a message, not hold a worker for minutes.

Why metering inside the render, and not a timeout around it: under gunicorn's sync workers
(and its gthread workers, the dev server and the test client) there is no safe way to stop
Python code from outside. ``signal.alarm`` works only in the main thread, a thread cannot be
killed (its loop keeps the CPU), and a subprocess per render (a fork of a worker holding
database and SQLite handles, or a fresh interpreter importing the app) costs more than the
few milliseconds a chart takes. So every place where template code can spend time or memory
is metered, and the render stops itself by raising ``RenderLimitError``:

* each ``for`` loop's iterable is wrapped (through ``code_generator_class``, Jinja's hook for
  changing the compiled code): every item pulled is a step, charged with the literal text of
  the loop body; ``recursive`` loops are refused;
* each call (methods, macros, ``caller()``) is a step, and a macro call is charged with its
  body's literal text; every ``{{ value }}`` is charged with its length (``finalize``), so
  text captured by ``{% set %}`` blocks and macros counts too, not only the final output;
* ``+ * ** %`` are intercepted and refused when the result would exceed the size limit,
  ``~`` joins check the sizes of their parts before joining, and string methods that pad to
  a width (``center``, ``ljust``, ``zfill``, ...) or ``format`` widths over 999 are refused;
* the output is streamed with ``Template.generate()`` and refused as soon as it passes the
  chart limit, never after building it;
* the budget has a processor-time deadline checked at every step and chunk (thread CPU time,
  so a busy machine does not fail a good template), and budgets nest: the template check's
  overall deadline bounds every variant rendered inside it;
* filters and globals are an allow-list (no ``lipsum``, ``namespace``, ``batch`` or
  ``indent``, whose arguments multiply sizes), and ``range`` is capped at the step budget.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_STEPS = 10_000  # loop items + calls + operators per variant; real charts use dozens
MAX_OUTPUT_CHARS = 200_000  # one chart; the longest built-in chart is under 10,000
MAX_PRODUCED_CHARS = 1_000_000  # everything printed, captured or joined while rendering
MAX_VALUE_CHARS = MAX_OUTPUT_CHARS  # one string or list built by an operator
MAX_INT_BITS = 4_096
RENDER_SECONDS = 1.0  # processor time for one variant (a chart takes a few milliseconds)

_FILTERS = (
    "abs capitalize count d default dictsort e escape first float int items join last "
    "length list lower map max min reject rejectattr round select selectattr sort string "
    "sum title trim truncate unique upper wordcount"
).split()
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(\d{4,}|\{)")
_WIDE_PERCENT = re.compile(r"%[-#0 +]*(\*|\d{4,}|\d*\.(\*|\d{4,}))")


class RenderLimitError(TemplateError):
    """A template exceeded its render budget; the message says which limit and why."""


@dataclass
class Budget:
    deadline: float
    steps_left: int
    produced_left: int
    seconds: float
    label: str

    def step(self, weight: int = 0) -> None:
        self.steps_left -= 1
        self.produced_left -= weight
        if self.steps_left < 0:
            raise RenderLimitError(
                f"the template needs more than {MAX_STEPS:,} loop steps or calls to render "
                "(a loop inside a loop?): keep loops short"
            )
        if self.produced_left < 0:
            raise RenderLimitError(
                f"the template produces more than {MAX_PRODUCED_CHARS:,} characters while "
                "rendering: a chart is a few pages of text"
            )
        if time.thread_time() > self.deadline:
            raise RenderLimitError(
                f"{self.label} took more than {self.seconds:g} s of processor time: "
                "simplify the template"
            )


_current: ContextVar[Budget | None] = ContextVar("render_budget", default=None)


@contextmanager
def render_budget(
    seconds: float = RENDER_SECONDS, label: str = "rendering one variant"
) -> Iterator[Budget]:
    """A fresh step and size budget for one variant; its deadline never outlasts an
    enclosing budget's (the template check bounds all the variants it renders)."""
    parent = _current.get()
    deadline = time.thread_time() + seconds
    if parent is not None and parent.deadline < deadline:
        deadline, seconds, label = parent.deadline, parent.seconds, parent.label
    budget = Budget(deadline, MAX_STEPS, MAX_PRODUCED_CHARS, seconds, label)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def _budget() -> Budget:
    budget = _current.get()
    if budget is None:  # never unmetered: render_bounded() opens one when none is active
        raise RuntimeError("chart templates render only inside render_budget()")
    return budget


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _too_big(what: str) -> RenderLimitError:
    return RenderLimitError(
        f"{what} would be longer than {MAX_VALUE_CHARS:,} characters or items: "
        "a chart is a few pages of text"
    )


def _literal_size(body: list[nodes.Node]) -> int:
    """The template text written by one pass of a loop or macro body (nested ones included)."""
    return sum(len(data.data) for node in body for data in node.find_all(nodes.TemplateData))


class _MeteredCodeGenerator(CodeGenerator):
    """Compiles templates with the metering hooks described in the module docstring."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if node.recursive:
            self.fail("recursive loops are not allowed in chart templates", node.lineno)
        metered = nodes.Call(
            nodes.EnvironmentAttribute("metered"),
            [node.iter, nodes.Const(_literal_size(node.body))],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        loop = nodes.For(
            node.target, metered, node.body, node.else_, node.test, False, lineno=node.lineno
        )
        super().visit_For(loop, frame)

    def macro_body(self, node: nodes.Macro | nodes.CallBlock, frame: Frame) -> Any:
        charge = nodes.ExprStmt(
            nodes.Call(
                nodes.EnvironmentAttribute("charge"),
                [nodes.Const(_literal_size(node.body))],
                [],
                None,
                None,
                lineno=node.lineno,
            ),
            lineno=node.lineno,
        )
        node.body = [charge, *node.body]
        return super().macro_body(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.checked_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


@pass_eval_context
def _checked_join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    """The ``join`` filter, refusing a result over the size limit before building it."""
    items = list(value)
    size = len(str(d)) * len(items) + sum(
        len(i) if isinstance(i, str) else len(str(i)) for i in items
    )
    if size > MAX_VALUE_CHARS:
        raise _too_big("a joined text (|join)")
    return str(DEFAULT_FILTERS["join"](eval_ctx, items, d, attribute))


def _capped_range(*args: int) -> range:
    values = range(*args)
    if len(values) > MAX_STEPS:
        raise RenderLimitError(f"range() of more than {MAX_STEPS:,} numbers is not allowed")
    return values


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus the render budget (see the module docstring)."""

    code_generator_class = _MeteredCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(finalize=self._charge_output, **kwargs)
        self.filters = {name: DEFAULT_FILTERS[name] for name in _FILTERS}
        self.filters["join"] = _checked_join
        self.globals = {"range": _capped_range, "dict": dict}

    @staticmethod
    def _charge_output(value: Any) -> Any:
        _budget().step(len(value) if isinstance(value, str) else 0)
        return value

    def metered(self, iterable: Iterable[Any], weight: int) -> Iterator[Any]:
        budget = _budget()
        for item in iterable:
            budget.step(weight)
            yield item

    def charge(self, weight: int) -> str:
        _budget().step(weight)
        return ""

    def checked_concat(self, join: Any, parts: tuple[Any, ...]) -> Any:
        total = sum(len(p) if isinstance(p, str) else len(str(p)) for p in parts)
        if total > MAX_VALUE_CHARS:
            raise _too_big("a joined text (~)")
        _budget().step(total)
        return join(parts)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _PADDING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().step()
        target = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            name = getattr(target, "__name__", "")
            if name in ("format", "format_map") and _WIDE_FORMAT.search(owner):
                raise RenderLimitError("format widths over 999 are not allowed in charts")
            if name == "replace" and len(args) >= 2:
                old, new = str(args[0]), str(args[1])
                hits = owner.count(old) if old else len(owner) + 1
                if len(owner) + hits * max(0, len(new) - len(old)) > MAX_VALUE_CHARS:
                    raise _too_big("a replaced text")
            if name == "join" and args:
                items = list(args[0])
                size = sum(_size(i) for i in items) + len(owner) * len(items)
                if size > MAX_VALUE_CHARS:
                    raise _too_big("a joined text")
                args = (items, *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget().step()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * max(times, 0) > MAX_VALUE_CHARS:
                        raise _too_big("a repeated text or list (*)")
            if isinstance(left, int) and isinstance(right, int):
                if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                    raise RenderLimitError("numbers that large are not allowed in charts")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
                if right * math.log2(abs(left)) > MAX_INT_BITS:
                    raise RenderLimitError("numbers that large are not allowed in charts")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_VALUE_CHARS:
                raise _too_big("a joined text or list (+)")
        elif operator == "%" and isinstance(left, str) and _WIDE_PERCENT.search(left):
            raise RenderLimitError("format widths over 999 are not allowed in charts")
        return super().call_binop(context, operator, left, right)


def render_bounded(template: JinjaTemplate, context: Mapping[str, Any]) -> str:
    """Render with the current budget, streaming, and stop as soon as the chart limit passes."""
    if _current.get() is None:
        with render_budget():
            return render_bounded(template, context)
    budget = _budget()
    budget.step()
    size = 0
    chunks = []
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise RenderLimitError(
                f"the chart would be longer than {MAX_OUTPUT_CHARS:,} characters: a chart is a "
                "few pages of text"
            )
        budget.step()
        chunks.append(chunk)
    return "".join(chunks)
