"""Does an item bank measure knowledge, or test-wiseness? Pure: judged like code by `curriculum check`.

A kader who never reads the material may still try the tricks every test-wise student knows:
always tap the longest option, or the one that repeats the question's words. For each skill we
compute, exactly and without sampling, the chance that such a strategy passes one real quiz draw
(`items_per_attempt` items drawn uniformly from the bank, `pass_mark` percent to pass). Ties
between options are split at random, as a kader tapping among equals would.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.curriculum.item_rules import ItemRules
from app.curriculum.loader import Curriculum, Item, Problem, Skill

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Options that refer to other options reward elimination tricks instead of knowledge.
_META_OPTION = re.compile(
    r"\b(semua(nya)?\s+(jawaban\s+)?(di\s+atas\s+)?(benar|salah)|semua\s+jawaban|"
    r"semua\s+pilihan|tidak\s+ada\s+(jawaban\s+|pilihan\s+)?yang\s+benar|"
    r"jawaban\s+[a-d]\b|[a-d]\s+dan\s+[a-d]\s+benar|all\s+of\s+the\s+above|none\s+of\s+the\s+above)",
    re.IGNORECASE,
)
APPLIED_KINDS = ("scenario", "calculation")


def words(text: str) -> set[str]:
    """Distinct lowercase words of three letters or more (short particles say nothing)."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3}


def _pick_probability(item: Item, scores: Sequence[float]) -> float:
    """Chance of the keyed answer when a kader picks uniformly among the top-scoring options."""
    best = max(scores)
    top = [i for i, s in enumerate(scores) if s == best]
    return 1 / len(top) if item.correct_index in top else 0.0


def longest_option(item: Item) -> float:
    return _pick_probability(item, [len(o.text) for o in item.options])


def shortest_option(item: Item) -> float:
    return _pick_probability(item, [-len(o.text) for o in item.options])


def most_shared_words(item: Item) -> float:
    stem = words(item.question)
    return _pick_probability(item, [len(words(o.text) & stem) for o in item.options])


def uniform_random(item: Item) -> float:
    return 1 / len(item.options)


# short label (for the per-skill line) -> (what the kader does, chance of the key per item)
STRATEGIES: dict[str, tuple[str, Callable[[Item], float]]] = {
    "longest": ("always the longest option", longest_option),
    "shortest": ("always the shortest option", shortest_option),
    "overlap": ("always the option sharing most words with the question", most_shared_words),
    "random": ("uniform random", uniform_random),
}


def pass_probability(success: Sequence[float], drawn: int, pass_mark: int) -> float:
    """P(score >= pass_mark %) when `drawn` items are sampled without replacement from the bank
    and item i is answered correctly with probability success[i]. Exact dynamic programme over
    (items drawn so far, correct so far), weighted by the number of subsets."""
    n = len(success)
    drawn = min(drawn, n)
    if drawn == 0:
        return 0.0
    needed = math.ceil(pass_mark * drawn / 100)
    # table[j][k]: sum over subsets of size j of P(exactly k correct)
    table = [[0.0] * (drawn + 1) for _ in range(drawn + 1)]
    table[0][0] = 1.0
    for p in success:
        for j in range(drawn - 1, -1, -1):
            row, nxt = table[j], table[j + 1]
            for k in range(j, -1, -1):
                if row[k]:
                    nxt[k + 1] += row[k] * p
                    nxt[k] += row[k] * (1 - p)
    return sum(table[drawn][needed:]) / math.comb(n, drawn)


def unique_longest_is_key(item: Item) -> bool:
    lengths = [len(o.text) for o in item.options]
    longest = max(lengths)
    return lengths.count(longest) == 1 and lengths[item.correct_index] == longest


@dataclass(frozen=True)
class SkillJudgement:
    code: str
    items: int
    applied: int
    pictures: int
    longest_key_share: float
    guess_pass: dict[str, float]

    def describe(self) -> str:
        rates = ", ".join(f"{label} {rate:.2%}" for label, rate in self.guess_pass.items())
        return (
            f"{self.code}: {self.items} items, {self.applied} scenario/calculation, "
            f"{self.pictures} pictures, key longest {self.longest_key_share:.0%}; guessing passes: {rates}"
        )


def judge_skill(skill: Skill) -> SkillJudgement:
    items = skill.items
    return SkillJudgement(
        code=skill.code,
        items=len(items),
        applied=sum(i.kind in APPLIED_KINDS for i in items),
        pictures=sum(i.picture is not None for i in items),
        longest_key_share=sum(map(unique_longest_is_key, items)) / len(items) if items else 0.0,
        guess_pass={
            label: pass_probability([rule(i) for i in items], skill.items_per_attempt, skill.pass_mark)
            for label, (_, rule) in STRATEGIES.items()
        },
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _skill_problems(skill: Skill, verdict: SkillJudgement, rules: ItemRules, file: str) -> list[Problem]:
    found: list[Problem] = []

    def fail(message: str) -> None:
        found.append(Problem(file, message))

    if verdict.items < rules.min_items:
        fail(f"item bank needs at least {rules.min_items} items, has {verdict.items}")
    if verdict.items and verdict.applied / verdict.items < rules.min_applied_share - 1e-9:
        fail(
            f"only {verdict.applied} of {verdict.items} items are scenario or calculation items; "
            f"at least {rules.min_applied_share:.0%} are needed"
        )
    if verdict.longest_key_share > rules.max_longest_key_share + 1e-9:
        fail(
            f"the keyed answer is the unique longest option in {verdict.longest_key_share:.0%} of items; "
            f"at most {rules.max_longest_key_share:.0%} allowed"
        )
    for label, rate in verdict.guess_pass.items():
        if rate >= rules.max_guess_pass_rate:
            what = STRATEGIES[label][0]
            limit = rules.max_guess_pass_rate
            fail(f"guessing '{what}' passes {rate:.2%} of quiz draws; must stay under {limit:.0%}")
    if skill.area in rules.picture_areas and verdict.pictures < rules.min_picture_items:
        fail(f"needs at least {rules.min_picture_items} picture items, has {verdict.pictures}")
    for item in skill.items:
        for option in item.options:
            if _META_OPTION.search(option.text):
                fail(f"item {item.id}: option {option.text!r} refers to other options")
    return found


def judge(cur: Curriculum) -> tuple[list[SkillJudgement], list[Problem]]:
    """Per-skill figures and every problem found, each naming the file to fix."""
    rules = cur.settings.item_rules
    verdicts: list[SkillJudgement] = []
    problems: list[Problem] = []
    stems: dict[tuple[str, str], str] = {}
    for skill in cur.skills:
        file = f"skills/{skill.folder}/items.yaml"
        verdict = judge_skill(skill)
        verdicts.append(verdict)
        problems += _skill_problems(skill, verdict, rules, file)
        for item in skill.items:
            key = (_norm(item.question), item.picture.sha256 if item.picture else "")
            if key in stems:
                problems.append(Problem(file, f"item {item.id}: same question as {stems[key]}"))
            else:
                stems[key] = item.id
    return verdicts, problems
