"""Finding the customer of an imported order, or planning a new one, without ever merging two people.

The order of evidence: the e-mail (any case), then the channel's own buyer id (Etsy username,
Square Customer ID) kept in `customer_account`. A name alone proves nothing: when a new
customer has the name of one already known and either of them has no e-mail to tell them apart,
a new customer is still added and the pair is reported as a possible duplicate for the maker to
look at. Names keep their accents and apostrophes; only whitespace is folded (by the reader).

Known customers are read once per import (a few columns of every customer: cheaper than one
query per order), and customers planned by this import are matched like stored ones, so a buyer
with ten orders in a file is added once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tui.imports import Customer as Buyer
from tui.store.sql import fetch

NAME, EMAIL, PHONE, BUYER_ID = 128, 254, 64, 128
"""Column lengths of `customer` and `customer_account` (PostgreSQL refuses longer values)."""

_CUSTOMERS = "SELECT id, name, email, phone, address FROM customer ORDER BY id"
_ACCOUNTS = "SELECT buyer_id, customer_id FROM customer_account WHERE channel = $1"


@dataclass(eq=False)
class CustomerPlan:
    """A customer as this import leaves them: a stored one (`key` > 0) or a new one (`key` < 0)."""

    key: int
    name: str
    email: str | None
    phone: str | None
    address: str | None
    changes: dict[str, str] = field(default_factory=dict)
    """Contact details an existing customer lacked and this file gives (nothing is overwritten)."""

    @property
    def is_new(self) -> bool:
        return self.key < 0


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    row: int
    name: str
    reason: str


def _fit(text: str | None, length: int) -> str | None:
    return None if text is None else text[:length]


class CustomerBook:
    """Every customer the import can match against, and what it adds or completes."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.by_key: dict[int, CustomerPlan] = {}
        self.by_email: dict[str, CustomerPlan] = {}
        self.by_name: dict[str, list[CustomerPlan]] = defaultdict(list)
        self.accounts: dict[str, int] = {}
        self.new_accounts: list[tuple[int, str]] = []
        """(customer key, buyer id) links this import adds."""
        self.duplicates: list[PossibleDuplicate] = []
        self._next_key = -1

    @classmethod
    async def load(cls, channel: str) -> CustomerBook:
        book = cls(channel)
        for cid, name, email, phone, address in await fetch(_CUSTOMERS):
            book._remember(CustomerPlan(int(cid), name, email, phone, address))
        book.accounts = {buyer: int(cid) for buyer, cid in await fetch(_ACCOUNTS, channel)}
        return book

    def _remember(self, plan: CustomerPlan) -> None:
        self.by_key[plan.key] = plan
        if plan.email:
            self.by_email.setdefault(plan.email.casefold(), plan)
        self.by_name[plan.name.casefold()].append(plan)

    @property
    def added(self) -> list[CustomerPlan]:
        return [plan for plan in self.by_key.values() if plan.is_new]

    @property
    def completed(self) -> list[CustomerPlan]:
        """Stored customers whose blank contact details this import fills."""
        return [plan for plan in self.by_key.values() if not plan.is_new and plan.changes]

    def match(self, buyer: Buyer | None, row: int) -> int | None:
        """The key of the order's customer (stored or planned); None for a walk-in sale."""
        if buyer is None:
            return None
        email = _fit(buyer.email, EMAIL)
        buyer_id = _fit(buyer.buyer_id, BUYER_ID)
        found = self.by_email.get(email.casefold()) if email else None
        if found is None and buyer_id is not None and buyer_id in self.accounts:
            found = self.by_key[self.accounts[buyer_id]]
        if found is None:
            found = self._add(buyer, email, buyer_id, row)
        else:
            self._complete(found, buyer, email)
        self._link(found.key, buyer_id)
        return found.key

    def complete(self, key: int, buyer: Buyer | None) -> None:
        """What the file says of the buyer of an order that already has its customer: blank
        details filled in, the buyer id linked. The order keeps its customer."""
        plan = self.by_key.get(key)
        if buyer is None or plan is None:
            return
        self._complete(plan, buyer, _fit(buyer.email, EMAIL))
        self._link(key, _fit(buyer.buyer_id, BUYER_ID))

    def _link(self, key: int, buyer_id: str | None) -> None:
        if buyer_id is not None and buyer_id not in self.accounts:
            self.accounts[buyer_id] = key
            self.new_accounts.append((key, buyer_id))

    def _add(self, buyer: Buyer, email: str | None, buyer_id: str | None, row: int) -> CustomerPlan:
        name = _fit(buyer.name or email or f"{self.channel} customer {buyer_id}", NAME) or ""
        same_name = self.by_name.get(name.casefold(), [])
        if same_name and (email is None or any(other.email is None for other in same_name)):
            self.duplicates.append(PossibleDuplicate(row, name, _duplicate_reason(name, email, same_name)))
        address = buyer.address.as_text() if buyer.address else None
        plan = CustomerPlan(self._next_key, name, email, _fit(buyer.phone, PHONE), address or None)
        self._next_key -= 1
        self._remember(plan)
        return plan

    def _complete(self, plan: CustomerPlan, buyer: Buyer, email: str | None) -> None:
        given = {
            "email": email,
            "phone": _fit(buyer.phone, PHONE),
            "address": buyer.address.as_text() if buyer.address else None,
        }
        for name, value in given.items():
            if value and not getattr(plan, name):
                setattr(plan, name, value)
                if not plan.is_new:
                    plan.changes[name] = value
                if name == "email":
                    self.by_email.setdefault(value.casefold(), plan)


def _duplicate_reason(name: str, email: str | None, others: list[CustomerPlan]) -> str:
    known = ", ".join(f"<{o.email}>" if o.email else "no e-mail" for o in others[:3])
    this = f"<{email}>" if email else "no e-mail"
    return (
        f"a customer named {name!r} is already known ({known}); this buyer ({this}) was added as "
        "a new customer, not merged: if they are the same person, correct the records by hand"
    )
