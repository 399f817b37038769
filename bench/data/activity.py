"""Learning activity of one district: quiz attempts and answers, practical sessions, results
and checklist ticks, skill achievements and levels.

Every derived row is what the app's own pure rules give for the evidence generated here:
achievements by the mastery rule, levels by the level rules, ticks whose suggestion
(`suggest_kompeten`) agrees with the confirmed result.
"""

from __future__ import annotations

from bisect import bisect, insort
from collections import defaultdict
from datetime import date, datetime, timedelta

from app.practicals.rules import StepTick, suggest_kompeten
from bench.data.facts import SkillFacts
from bench.data.run import District, Holder, Place

# What a kader has done: nothing, opened a quiz or two, learning, or working towards a level.
PROFILE_NONE, PROFILE_DABBLER, PROFILE_LEARNER = 0.22, 0.16, 0.35  # the rest: a target level
CERTIFIED_SHARE = 0.70
PRACTICAL_OUTCOMES = {1: (True,), 2: (False,), 3: (False, True)}  # kompeten per result, by plan


def learner_practical(roll: float) -> int:
    """A learner's practical plan for one skill: none 35%, kompeten 49%, belum 6%, belum then kompeten 10%."""
    return 0 if roll < 0.35 else 1 if roll < 0.84 else 2 if roll < 0.90 else 3


class Activity(District):
    # -- practical sessions

    def _plan_sessions(self, place: Place) -> None:
        """Five to eight visits over the window, each observing a few skills; every skill at least once."""
        rng = self.rng
        skills = [s.id for s in self.cur.skills]
        rng.shuffle(skills)
        n = rng.randint(5, 8)
        days = sorted(rng.sample(range(self.days), n))
        chunk = -(-len(skills) // n) + 2
        for i, day in enumerate(days):
            planned = {skills[(i * (chunk - 2) + k) % len(skills)] for k in range(chunk)}
            self._add_session(place, day, planned)

    def _add_session(self, place: Place, day: int, planned: set[int]) -> int:
        index = len(place.sessions)
        place.sessions.append((day, planned))
        for skill_id in sorted(planned):
            insort(place.cover.setdefault(skill_id, []), (day, index))
        return index

    def _sessions_for(self, place: Place, skill_id: int, from_day: int, count: int) -> list[tuple[int, int]]:
        """`count` sessions (or fewer) observing the skill on or after `from_day`, earliest first."""
        options = [c for c in place.cover.get(skill_id, ()) if c[0] >= from_day]
        if not options:
            day = self.rng.randint(from_day, self.days - 1)
            options = [(day, self._add_session(place, day, {skill_id}))]
        if count == 1 or len(options) == 1:
            return [self.rng.choice(options)]
        return sorted(self.rng.sample(options, 2))

    def _emit_practicals(self, place: Place) -> None:
        """Sessions that got results, with the skills and kader observed, then the results."""
        used: dict[int, tuple[set[int], set[int]]] = {}
        for r in place.results:
            skills, kaders = used.setdefault(r[1], (set(), set()))
            skills.add(r[3])
            kaders.add(r[2])
        session_ids: dict[int, int] = {}
        start = self.run.window_start
        for index in sorted(used, key=lambda i: place.sessions[i][0]):
            session_id = session_ids[index] = self.ids.take("assessment_session")
            day = place.sessions[index][0]
            self.rows.add(
                "assessment_session",
                (
                    session_id,
                    place.id,
                    place.puskesmas_id,
                    self.code,
                    place.assessor_id,
                    (start + timedelta(days=day)).date(),
                    start + timedelta(days=day, hours=1),
                ),
            )
            skills, kaders = used[index]
            for skill_id in sorted(skills):
                self.rows.add("assessment_session_skill", (session_id, skill_id))
            for kader_id in sorted(kaders):
                self.rows.add("assessment_session_kader", (session_id, kader_id))
        tables = self.rows.tables
        tables["practical_result"].extend((r[0], session_ids[r[1]], *r[2:]) for r in place.results)
        confirmed: dict[int, int] = defaultdict(int)  # the session_result_count the app keeps
        for r in place.results:
            if r[5] is not None:
                confirmed[session_ids[r[1]]] += 1
        tables["session_result_count"].extend(sorted(confirmed.items()))
        tables["step_result"].extend(place.ticks)
        tables["skill_achievement"].extend(place.achievements)

    # -- learning activity

    def _engagement(self) -> list[tuple[SkillFacts, bool, int]]:
        """(skill, quiz passed, practical plan) per skill the kader touched.

        Practical plan: 0 none, 1 kompeten, 2 belum kompeten, 3 belum kompeten then kompeten.
        """
        rand = self.rand
        roll = rand()
        if roll < PROFILE_NONE:
            return []
        if roll < PROFILE_NONE + PROFILE_DABBLER:
            return [(s, rand() < 0.55, 0) for s in self._some_skills(self.between(1, 3))]
        if roll < PROFILE_NONE + PROFILE_DABBLER + PROFILE_LEARNER or not self.run.route_weights:
            return [
                (s, rand() < 0.75, learner_practical(rand())) for s in self._some_skills(self.between(2, 12))
            ]
        level = bisect(self.run.route_weights, rand() * self.run.route_weights[-1])
        routes = self.run.routes[level]
        route = routes[int(rand() * len(routes))]
        plan = [(self.skills_by_code[c], True, 3 if rand() < 0.15 else 1) for c in route]
        extra = [s for s in self._some_skills(self.between(0, 3)) if s.code not in route]
        return plan + [(s, rand() < 0.7, int(rand() * 3)) for s in extra]

    def _some_skills(self, n: int) -> list[SkillFacts]:
        """n skills, the core of Posyandu work (earlier areas and skills) more often than the rest."""
        orderings = self.run.orderings
        return sorted(orderings[int(self.rand() * len(orderings))][:n], key=lambda s: s.code)

    def _activity(self, place: Place, kader_id: int, name: str, nik: str, joined: date) -> None:
        from_day = max(0, (joined - self.start.date()).days)
        if from_day >= self.days - 7:
            return  # joined too recently to have done anything
        mastered: list[tuple[str, int]] = []
        pretest = self.rand() < 0.5
        for skill, quiz_pass, practical in self._engagement():
            results = self._practicals(place, kader_id, skill, practical, from_day) if practical else []
            first_result = results[0][1] if results else None
            passing = self._quizzes(kader_id, skill, quiz_pass, pretest, from_day, first_result)
            kompeten = next((r for r in results if r[2]), None)
            if passing and kompeten:
                achieved = self.at(max(passing[1], kompeten[1]))
                place.achievements.append(
                    (
                        self.ids.take("skill_achievement"),
                        kader_id,
                        skill.id,
                        achieved,
                        passing[0],
                        kompeten[0],
                        place.assessor_id,
                        achieved,
                    ),
                )
                mastered.append((skill.code, max(passing[1], kompeten[1])))
        if mastered:
            self._level(place, kader_id, name, nik, mastered)

    def _practicals(
        self, place: Place, kader_id: int, skill: SkillFacts, plan: int, from_day: int
    ) -> list[tuple[int, int, bool]]:
        """Practical results (id, confirmed at in window seconds, kompeten), earliest first."""
        sessions = self._sessions_for(place, skill.id, from_day, 2 if plan == 3 else 1)
        # With a single session available, "belum then kompeten" becomes kompeten at once.
        outcomes = PRACTICAL_OUTCOMES[plan][-len(sessions) :]
        rand, start = self.rand, self.start
        first_id = self.ids.take_many("practical_result", len(sessions))
        out: list[tuple[int, int, bool]] = []
        for n, ((day, index), kompeten) in enumerate(zip(sessions, outcomes, strict=True)):
            confirmed = day * 86400 + 7200 + int(rand() * 25200)  # 09:00-16:00 WIB
            verdict = "kompeten" if kompeten else "belum_kompeten"
            at = start + timedelta(seconds=confirmed)
            place.results.append(
                [
                    first_id + n,
                    index,
                    kader_id,
                    skill.id,
                    place.assessor_id,
                    verdict,
                    verdict,
                    at,
                    at - timedelta(seconds=300 + int(rand() * 2100)),
                ]
            )
            if self.plan.answers:
                self._ticks(place, first_id + n, skill, kompeten, at)
            out.append((first_id + n, confirmed, kompeten))
        return out

    def _ticks(self, place: Place, result_id: int, skill: SkillFacts, kompeten: bool, at: datetime) -> None:
        """Checklist ticks whose suggestion (the pure rule) agrees with the confirmed result."""
        rng, steps = self.rng, skill.steps
        if kompeten:
            done = [critical or rng.random() < 0.9 for _, _, critical in steps]
        else:
            done = [rng.random() < 0.8 for _ in steps]
            critical_at = [i for i, step in enumerate(steps) if step[2]]
            done[rng.choice(critical_at) if critical_at else rng.randrange(len(steps))] = False
        while (
            suggest_kompeten(
                (StepTick(s[2], d) for s, d in zip(steps, done, strict=True)), self.cur.min_share
            )
            != kompeten
        ):
            # Too few steps done for kompeten (or, without critical steps, too many for belum).
            done[rng.choice([i for i, d in enumerate(done) if d != kompeten])] = kompeten
        for (step_id, step_text, critical), d in zip(steps, done, strict=True):
            place.ticks.append((self.ids.take("step_result"), result_id, step_id, step_text, critical, d, at))

    def _quizzes(
        self,
        kader_id: int,
        skill: SkillFacts,
        passes: bool,
        pretest: bool,
        from_day: int,
        before: int | None,
    ) -> tuple[int, int] | None:
        """Attempts on one skill, scores improving; returns the passing attempt (id, submitted at).

        Times are seconds since the window start. The last attempt comes before the first
        practical, so the quiz-before-practical setting is satisfied either way.
        """
        between = self.between
        scores = self._scores(skill, passes, pretest)
        earliest = from_day * 86400
        if before is not None:
            last = min(max(earliest, before - between(3600, 40 * 86400)), before - 3600)
        else:
            last = earliest + between(0, (self.days - from_day) * 86400 - 3600)
        moments = [last]
        for _ in scores[1:]:
            moments.append(moments[-1] - between(3600, 10 * 86400))
        moments.reverse()
        limit = skill.time_limit * 60 if skill.time_limit else 0
        start, first_id = self.start, self.ids.take_many("quiz_attempt", len(scores))
        passing = None
        add = self.quiz_rows.append
        rand = self.rand
        self._quiz_summary(kader_id, skill, scores, pretest)
        for n, (correct, moment) in enumerate(zip(scores, moments, strict=True)):
            took = 240 + int(rand() * 960)  # 4-20 minutes
            if limit:
                took = min(took, limit)
            started = start + timedelta(seconds=moment)
            passed = correct >= skill.need
            add(
                (
                    first_id + n,
                    kader_id,
                    skill.id,
                    started,
                    start + timedelta(seconds=moment + limit) if limit else None,
                    start + timedelta(seconds=moment + took),
                    "submitted",
                    correct,
                    skill.total,
                    skill.pass_mark,
                    passed,
                    pretest and n == 0,
                ),
            )
            if self.plan.answers:
                self._answers(first_id + n, skill, correct, started)
            if passed:
                passing = (first_id + n, moment + took)
        return passing

    def _quiz_summary(self, kader_id: int, skill: SkillFacts, scores: list[int], pretest: bool) -> None:
        """The kader_skill_quiz row the app would keep for these attempts (the first may be a pre-test).

        Percentages as the database computes them: 100.0 * correct / total in double precision.
        """
        pre, post = (scores[:1], scores[1:]) if pretest else ([], scores)
        self.rows.add(
            "kader_skill_quiz",
            (
                kader_id,
                skill.id,
                len(post),
                sum(1 for c in post if c >= skill.need),
                100.0 * pre[0] / skill.total if pre else None,
                max(100.0 * c / skill.total for c in post) if post else None,
            ),
        )

    def _scores(self, skill: SkillFacts, passes: bool, pretest: bool) -> list[int]:
        """Correct answers per attempt, never decreasing; only the last may pass."""
        rand, need, total = self.rand, skill.need, skill.total
        if pretest and passes and rand() < 0.1:
            return [self.between(need, total)]  # knew it already: the pre-test passes
        roll = rand()
        fails = int(pretest) + (0 if roll < 0.6 else 1 if roll < 0.9 else 2) + (0 if passes else 1)
        low = max(0, need - 5)
        scores = sorted(low + int(rand() * (need - low)) for _ in range(fails))
        if passes:
            scores.append(self.between(need, total))
        return scores

    def _answers(self, attempt_id: int, skill: SkillFacts, correct: int, started: datetime) -> None:
        rng = self.rng
        shown = rng.sample(skill.revisions, skill.total)
        right = set(rng.sample(range(skill.total), correct))
        moment = started
        for position, (rev_id, n_options, answer) in enumerate(shown, start=1):
            order = list(range(n_options))
            rng.shuffle(order)
            moment += timedelta(seconds=rng.randint(20, 90))
            if position - 1 in right:
                chosen: int | None = answer
            elif rng.random() < 0.03:
                chosen = None  # left unanswered
            else:
                chosen = rng.choice([o for o in order if o != answer])
            self.rows.add(
                "quiz_attempt_item",
                (
                    self.ids.take("quiz_attempt_item"),
                    attempt_id,
                    position,
                    rev_id,
                    order,
                    chosen,
                    moment if chosen is not None else None,
                ),
            )

    def _level(
        self, place: Place, kader_id: int, name: str, nik: str, mastered: list[tuple[str, int]]
    ) -> None:
        codes = frozenset(c for c, _ in mastered)
        level = self.run.level_of(codes)
        since = self.at(max(at for _, at in mastered))
        self.rows.add(
            "kader_level", (kader_id, level.code if level else None, len(codes), self.cur.version_id, since)
        )
        if level is not None and self.rng.random() < CERTIFIED_SHARE:
            self.holders.append(Holder(kader_id, name, nik, place, level, codes, since))
