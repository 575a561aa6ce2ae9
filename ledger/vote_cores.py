"""The reliability fixed point's weighted votes, and the credits they earn, cast on two cores.

Each of the ~23 updates of an estimate votes on every contested item, works
out every credit of that vote (~1 µs of Python each) and adds them up per
source; that is most of the fixed point, and each item's vote and credits are
its own. So each weighted vote is cast in two parts at the same time: a
forked child takes the later contested items, this process the earlier ones.
The child is forked once the items are packed, before the fixed point (it
holds the packed items, not what the fixed point makes), and is sent what a
vote depends on (the grouping of sources, the systematic offsets the lending
was shifted by, the origins' votes and habits: a few kilobytes); it sends back
its items' choices and credits as arrays. The grouping and offsets are sent
as soon as they are known (``Voter.expect``), so the child works out its
origins and lending while this process works out its own, not after. The
credits are put in their numbered order (this process's, then the child's:
the order one process earns them in), and each source's sums of them are
added by one of the two processes (the child takes about half the credits'
sources, and is sent this process's credits), in that order: every sum,
weight and decision is the one one process makes.

Small ledgers (fewer than ``FORK_MIN_CONTESTED`` contested items) and
processes where a child may not be forked (``forked.available``) vote in one
process.
"""

from __future__ import annotations

from array import array

from ledger import forked
from ledger.core.consensus import Voter
from ledger.core.consensus.model import Options
from ledger.core.consensus.offsets import shifted_compatibility
from ledger.core.consensus.prepared import Origins, Prepared
from ledger.core.consensus.voting import Ballot, Lending, cast_votes, contested_part
from ledger.core.consensus.weights import Evidence

FORK_MIN_CONTESTED = 5_000  # a fork costs ~0.1 s, and the child's first touches of the items more
# The share of the contested items' statements voted on here; this process also merges the child's part.
PARENT_SHARE = 0.48


class TwoCoreVoter(Voter):
    """Votes cast half here, half in a forked child (see the module docstring); in one process when small."""

    def __init__(self):
        self.child: _Child | None = None
        self.last: tuple | None = None  # the last vote's inputs, to cast it whole if asked
        self.summing: tuple[Evidence, list[int], list[int]] | None = None  # evidence, sources summed here, there

    def start(self, prepared: Prepared, options: Options) -> None:
        if _worth_a_child(prepared):
            self.split = _split(prepared)
            self.child = _Child(prepared, options, self.split)

    def expect(self, groups: list[int], offsets: dict[tuple[int, int], float] | None) -> None:
        self.summing = None  # worked out again at the next vote: a new grouping's evidence is not kept beside the old
        if self.child is not None:  # it works out its own origins and lending meanwhile, not at the next vote
            self.child.ask((groups, offsets, None, None, None))

    def vote(self, prepared: Prepared, origins: Origins, group_votes: dict[int, list[float]], options: Options,
             lending: Lending, habits: dict[int, list[float]] | None, evidence: Evidence) -> Ballot:
        self.last = (prepared, origins, group_votes, options, lending, habits)
        if self.child is None:
            return cast_votes(prepared, origins, group_votes, options, lending, habits)
        child = self.child
        if self.summing is None or self.summing[0] is not evidence:
            self.summing = (evidence, *_sources_halved(evidence))
        _, here, there = self.summing
        child.ask((origins.groups, lending.offsets, group_votes, habits, there))
        ballot = cast_votes(prepared, origins, group_votes, options, lending, habits,
                            contested_part(prepared, 0, self.split))
        # credits as 8-byte numbers, not a float object each (a few million an update on the Flight month)
        credits = evidence.credits_between(ballot, 0, evidence.entry_at(prepared.contested[self.split]), array("d", [1.0]))
        child.tell(memoryview(credits)[1:])
        choice = ballot.choice
        for index, chosen in zip(prepared.contested[self.split:], child.numbers("i")):
            choice[index] = chosen
        credits.frombytes(child.answer())
        sums = evidence.sums(credits, here)
        for source, summed in child.answer():
            sums[source] = summed
        ballot.credits, ballot.sums = credits, sums
        child.waiting = False
        return ballot

    def whole(self, ballot: Ballot) -> Ballot:
        if not ballot.partial:
            return ballot
        prepared, origins, group_votes, options, lending, habits = self.last
        whole = cast_votes(prepared, origins, group_votes, options, lending, habits)
        whole.credits = ballot.credits
        return whole

    def close(self) -> None:
        if self.child is not None:
            self.child.stop()
            self.child = None


def _worth_a_child(prepared: Prepared) -> bool:
    return forked.available() and len(prepared.contested) >= max(2, FORK_MIN_CONTESTED)


def _sources_halved(evidence: Evidence) -> tuple[list[int], list[int]]:
    """The sources whose credits are summed here and in the child: about as many credits each."""
    loads = sorted(((sum(map(len, by_attribute)), source) for source, by_attribute in enumerate(evidence.earned)),
                   reverse=True)
    here: list[int] = []
    there: list[int] = []
    load_here = load_there = 0
    for load, source in loads:
        if load_there < load_here:
            there.append(source)
            load_there += load
        else:
            here.append(source)
            load_here += load
    return sorted(here), sorted(there)


def _split(prepared: Prepared) -> int:
    """The first contested item (by place in ``contested``) the child votes on: statements shared as
    ``PARENT_SHARE`` says (an item's credits go with its sources)."""
    stated = prepared.stated
    sizes = [len(stated[index][0]) for index in prepared.contested]
    wanted, so_far = sum(sizes) * PARENT_SHARE, 0
    for place, size in enumerate(sizes):
        so_far += size
        if so_far >= wanted:
            return max(1, min(place + 1, len(sizes) - 1))
    return len(sizes) - 1


class _Child:
    """The forked voter: asked a vote's inputs, it answers its part's choices and credits."""

    def __init__(self, prepared: Prepared, options: Options, split: int):
        asks, self.requests = forked.pipe()
        self.replies, answered = forked.pipe()
        self.process = forked.start(_serve, asks, answered, (self.requests, self.replies), prepared, options, split)
        asks.close()
        answered.close()
        self.waiting = False

    def ask(self, inputs: tuple) -> None:
        """A vote's inputs (or, without votes, the next votes' grouping and offsets); if the child has failed,
        ``answer`` says how."""
        self.waiting = True
        try:
            self.requests.send(inputs)
        except OSError:
            pass

    def tell(self, credits: memoryview) -> None:
        """This process's credits, for the sums the child adds; if it has failed, ``answer`` says how."""
        try:
            self.requests.send_bytes(credits)
        except OSError:
            pass

    def numbers(self, typecode: str) -> array:
        """An array the child sent."""
        numbers = array(typecode)
        numbers.frombytes(self.answer())
        return numbers

    def answer(self):
        """The child's next answer; what it raised (or how it ended) raised here."""
        try:
            kind, reply = self.replies.recv()
        except (EOFError, OSError):
            raise RuntimeError(f"the second process casting votes stopped ({forked.ended(self.process)})") from None
        if kind == "error":
            raise forked.failed(reply, "the second process casting votes failed")
        return reply

    def stop(self) -> None:
        """Tell the child to end (stopped at once if it is mid-vote) and wait for it: no zombie left."""
        try:
            self.requests.close()  # the child reads the end of its requests and leaves
        finally:
            self.replies.close()
            forked.stop(self.process, at_once=self.waiting)


def _serve(requests, replies, parent_ends: tuple, prepared: Prepared, options: Options, split: int) -> None:
    """The child's whole life: vote on the contested items from ``split`` on, as often as asked."""
    for end in parent_ends:
        end.close()  # else the requests never end
    try:
        part = contested_part(prepared, split, len(prepared.contested))
        first_item = prepared.contested[split]
        plain = lending = Lending(prepared, options)
        groups = offsets = evidence = origins = None
        while True:
            try:
                new_groups, new_offsets, group_votes, habits, summed_here = requests.recv()
            except EOFError:  # the parent is done (or gone)
                break
            try:
                if new_groups != groups:
                    groups, origins = new_groups, Origins(prepared, new_groups)
                    evidence = Evidence(prepared, origins)
                if new_offsets != offsets:
                    offsets = new_offsets
                    lending = plain if offsets is None else Lending(
                        prepared, options, shifted_compatibility(prepared, offsets), offsets)
                if group_votes is None:  # told what the next votes use: worked out now, nothing to answer
                    continue
                ballot = cast_votes(prepared, origins, group_votes, options, lending, habits, part)
                later = evidence.credits_between(ballot, evidence.entry_at(first_item), len(evidence.contested),
                                                 array("d"))
                choice = array("i", map(ballot.choice.__getitem__, prepared.contested[split:]))
                del ballot
                credits = array("d", [1.0])
                credits.frombytes(requests.recv_bytes())  # the parent's: read before answering, as it sends them first
                replies.send(("ok", choice.tobytes()))
                replies.send(("ok", later.tobytes()))
                credits += later
                del later
                sums = evidence.sums(credits, summed_here)
                replies.send(("ok", [(source, sums[source]) for source in summed_here]))
            except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
                replies.send(("error", forked.failure(error)))
                break
    except BaseException:  # noqa: BLE001 - the parent is gone: nothing left to tell
        pass
