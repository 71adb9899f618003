"""A Spec for the checks of a spec that does not validate: the invalid parts dropped or stood in for, and a
record of where the model no longer holds what the file says, so a check that reads such a place is not
reported (its finding would be a consequence of the HP0xx problem, not a second problem).

Only `hostplan lint` uses it, and only for an invalid spec: a valid one is validated once, as before.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import ValidationError

from .load import Loc, _clean_loc, _models_in, suggest
from .model import Spec

MAX_ROUNDS = 24  # each round validates once; a stand-in may take a few tries and each level up one round
# tried in turn where a required value is wrong or missing: one of them suits each kind of leaf
# (a threshold must match its metric's unit: 1分钟 for a response time, 1% for a rate, 1分 for a rating)
STAND_INS: tuple[Any, ...] = ("1分钟", "1%", "1分", "1次", "1元", "x", "X1", "<=", "2026-01-01", 1)
# a minimal valid spec: stands in for a required section that is missing or beyond repair
MINIMAL: dict[str, Any] = {
    "version": 1, "title": "x", "category": "x",
    "parties": {"merchant": {"name": "x"}, "agency": {"name": "x"}},
    "term": {"start": "2026-01-01", "end": "2026-12-31"},
    "scope": {"service_hours": {"start": "09:00", "end": "18:00"}, "basic": ["x"]},
    "standards": [{"id": "X1", "name": "x", "metric": "first_response_time", "comparator": "<=",
                   "threshold": "1分钟"}],
    "responsibilities": {"merchant": ["x"], "agency": ["x"]},
    "fees": {"model": "fixed", "monthly_fee": "1元", "settlement": {"day": 1, "data_source": "platform"}},
}
_DROP = object()


@dataclass(frozen=True)
class Partial:
    spec: Spec
    tainted: frozenset[Loc]  # places (in the file's terms) whose value the model does not hold as written
    maps: dict[Loc, list[int]]  # a list that lost items (its loc in the file) -> the file index of each model item

    def to_raw(self, loc: Loc) -> Loc:
        """A loc in the model (list items renumbered after a dropped one) -> the same place in the file."""
        return _to_raw(loc, self.maps)

    def touches(self, reads: tuple[Loc, ...]) -> bool:
        """Whether a finding that depends on these places could be a consequence of an invalid part."""
        for d in reads:
            for t in self.tainted:
                if d[:len(t)] == t or (d and t[:len(d)] == d):
                    return True
        return False


def _to_raw(loc: Loc, maps: dict[Loc, list[int]]) -> Loc:
    out: list[str | int] = []
    for part in loc:
        index = maps.get(tuple(out))
        if isinstance(part, int) and index is not None and 0 <= part < len(index):
            part = index[part]
        out.append(part)
    return tuple(out)


def partial_spec(data: dict[str, Any], exc: ValidationError) -> Partial | None:
    """The spec with what exc reports dropped (an unknown key, an optional value, a list item) or stood in for
    (a required value), or None when no valid spec can be made in a few rounds."""
    plan: dict[Loc, Any] = {}  # file loc -> _DROP or a stand-in value
    tries: dict[Loc, int] = {}
    tainted: set[Loc] = set()
    errors = exc.errors(include_url=False)
    work: Any = data
    maps: dict[Loc, list[int]] = {}
    for _ in range(MAX_ROUNDS):
        for err in errors:
            loc = _to_raw(_clean_loc(tuple(err["loc"]), work), maps)
            if not loc:
                return None  # the spec as a whole is wrong: nothing to keep
            if any(loc[:len(p)] == p and plan[p] is _DROP for p in plan if len(p) < len(loc)):
                continue  # under something dropped this round already
            if err["type"] == "extra_forbidden":
                plan[loc] = _DROP
                guess = suggest(str(loc[-1]), loc[:-1])
                if guess:  # `deduction:` means deductions: what reads deductions must not say it is missing
                    tainted.add((*loc[:-1], guess))
                continue
            if not _repair(loc, plan, tries, tainted):
                return None
        work, maps = _apply(data, plan)
        try:
            spec = Spec.model_validate(work)
        except ValidationError as again:
            errors = again.errors(include_url=False)
            continue
        return Partial(spec, frozenset(tainted), maps)
    return None


def _repair(loc: Loc, plan: dict[Loc, Any], tries: dict[Loc, int], tainted: set[Loc]) -> bool:
    """Drop loc if the model can do without it, else stand in for it; a required value no stand-in fits
    takes its parent with it. False when that reaches the top of the spec."""
    probe = loc
    while probe:
        tainted.add(probe)
        required, scalar = _slot(probe)
        if not required:
            plan[probe] = _DROP
            return True
        candidates = _stand_ins(probe, scalar)
        n = tries.get(probe, 0)
        if n < len(candidates):
            tries[probe] = n + 1
            plan[probe] = candidates[n]
            return True
        plan.pop(probe, None)
        probe = probe[:-1]
    return False


def _stand_ins(loc: Loc, scalar: bool) -> list[Any]:
    cur: Any = MINIMAL
    for part in loc:
        if not isinstance(cur, dict) or part not in cur:
            return list(STAND_INS) if scalar else []
        cur = cur[part]
    return [cur, *(v for v in STAND_INS if v != cur)] if scalar else [cur]


def _slot(loc: Loc) -> tuple[bool, bool]:
    """(whether the model needs loc, whether its value is a single scalar). An optional field, a list item and
    an entry of a dict of models (an emphasis clause) are not needed."""
    if isinstance(loc[-1], int):
        return False, False
    models: list[Any] = [Spec]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nxt = [m for model in models if part in model.model_fields
               for m in _models_in(model.model_fields[part].annotation)]
        if nxt or any(part in m.model_fields for m in models):
            models = nxt
        # else a key of a dict of models (an emphasis clause): the models are its values
    fields = [m.model_fields[loc[-1]] for m in models if loc[-1] in m.model_fields]
    if not any(f.is_required() for f in fields):
        return False, False
    # a model or a list of them takes no scalar stand-in; MINIMAL has the required ones that need one
    return True, not any(_models_in(f.annotation) or get_origin(f.annotation) is list for f in fields)


def _apply(data: Any, plan: dict[Loc, Any]) -> tuple[Any, dict[Loc, list[int]]]:
    """data with the plan carried out, and the list maps (see Partial.maps)."""
    inserts: dict[Loc, list[str]] = {}
    for loc, action in plan.items():
        if action is not _DROP and isinstance(loc[-1], str):
            inserts.setdefault(loc[:-1], []).append(loc[-1])
    maps: dict[Loc, list[int]] = {}

    def build(value: Any, loc: Loc) -> Any:
        if loc in plan:
            action = plan[loc]
            return action if action is _DROP else copy.deepcopy(action)
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                new = build(v, (*loc, k))
                if new is not _DROP:
                    out[k] = new
            for k in inserts.get(loc, ()):
                if k not in out:
                    out[k] = copy.deepcopy(plan[(*loc, k)])
            return out
        if isinstance(value, list):
            items = [(i, build(v, (*loc, i))) for i, v in enumerate(value)]
            kept = [(i, v) for i, v in items if v is not _DROP]
            if len(kept) < len(items):
                maps[loc] = [i for i, _ in kept]
            return [v for _, v in kept]
        return value

    return build(data, ()), maps
