"""The customer form, shared by the Catalog and Sell: a recall has to reach the people who bought.

A customer added while packing an order gets the same form as in the Catalog, its name already
typed and the cursor on the e-mail: Enter skips any field, and Ctrl+S or the DONE barcode saves
at once, so a market sale costs no more than before while a web order's contacts go in with it.
"""

from __future__ import annotations

from tui.services import catalog, editing
from tui.widgets.record_form import FormField, RecordForm, Values

ADDRESS_BREAK = "; "
"""How a postal address's lines are written on one line of the form and the table."""


def one_line(address: str | None) -> str:
    return ADDRESS_BREAK.join((address or "").splitlines())


def customer_fields(row: editing.CustomerRow | None, name: str = "") -> tuple[FormField, ...]:
    return (
        FormField("name", "Name", row.name if row else name, "", ("customer name", "customer named")),
        FormField("email", "Email", (row and row.email) or "", "optional, for a recall", ("email",)),
        FormField("phone", "Phone", (row and row.phone) or "", "optional, for a recall", ("phone",)),
        FormField(
            "address",
            "Address",
            one_line(row.address) if row else "",
            "for recall letters: lines separated by ;",
            ("address",),
        ),
    )


async def save_customer(old: str | None, v: Values) -> str:
    """Add the customer (`old` None) or save the one named `old`; the service checks everything."""
    address = "\n".join(v["address"].split(ADDRESS_BREAK.strip()))
    if old is None:
        done = await catalog.add_customer(v["name"], v["email"] or None, v["phone"] or None, address)
        return f"added customer {done.name}"
    done = await editing.update_customer(
        old, new_name=v["name"], email=v["email"], phone=v["phone"], address=address
    )
    return f"saved customer {done.name}"


def new_customer_form(name: str, command_prefix: str) -> RecordForm:
    """For Sell: the typed name kept, the cursor on the e-mail; dismissed with the name saved."""

    async def save(v: Values) -> str:
        await save_customer(None, v)
        return " ".join(v["name"].split())

    return RecordForm(
        "New customer (Enter skips a field, Ctrl+S saves)",
        customer_fields(None, name),
        save,
        command_prefix=command_prefix,
        start="email",
    )
