"""The trace trees: one line per lot, batch or sale, children made when a node is opened.

A recall's forward tree can hold 2,000 batches and 100,000 sale lines; a Tree of that size
blocks the App for seconds. Here a node gets its children when it is first opened, at most
`PAGE` of them, and a last line "n more" that shows the next page when chosen (Enter).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.services.tracing import TraceNode
from tui.widgets.cells import cell

PAGE = 200
"""Children added to a tree node at a time; a further page is one Enter away."""


def node_label(node: TraceNode) -> Text:
    """One line per step: code first (what is on the label), then what and how much."""
    parts: list[str | tuple[str, str]] = []
    if node.kind in ("sale", "order"):
        parts += [("order ", "dim"), (node.code, "bold"), f"  {node.customer or ''}"]
    else:
        parts += [(node.code, "bold"), f"  {node.item}"]
    if node.qty is not None:
        parts.append(f"  {node.qty:f} {node.unit}".rstrip())
    if node.supplier:
        parts.append(f"  from {node.supplier}" + (f" lot {node.supplier_lot}" if node.supplier_lot else ""))
    if node.dated:
        parts.append((f"  {node.dated}", "dim"))
    text = Text()
    for part in parts:
        value, style = part if isinstance(part, tuple) else (part, "")
        text.append_text(cell(value, style))
    return text


class More:
    """Tree data of the "n more" line that stands for the rest of a node's children."""

    def __init__(self, node: TraceNode, start: int) -> None:
        self.node, self.start = node, start
        self.shown = False
        """Chosen already: a second Enter or click on the way must not add the page twice."""


TreeData = TraceNode | More


class TraceTree(Tree[TreeData]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("(nothing traced)"), id=id)

    def show(self, root: TraceNode) -> None:
        """Show `root` and its children; theirs are added when each is opened."""
        if self.root.data is root:
            return
        self.clear()
        self.root.set_label(node_label(root))
        self.root.data = root
        add_children(self.root, root, 0)
        self.root.expand()

    def forget(self) -> None:
        """Let go of what is shown (a tree that was never filled is left alone: no repaint)."""
        if self.root.data is not None:
            self.clear()
            self.root.set_label(Text("(nothing traced)"))
            self.root.data = None

    @on(Tree.NodeExpanded)
    def _opened(self, event: Tree.NodeExpanded[TreeData]) -> None:
        node = event.node
        if isinstance(node.data, TraceNode) and not node.children and node.data.children:
            add_children(node, node.data, 0)

    @on(Tree.NodeSelected)
    def _more(self, event: Tree.NodeSelected[TreeData]) -> None:
        line = event.node
        if isinstance(line.data, More) and line.parent is not None and not line.data.shown:
            parent, more = line.parent, line.data
            more.shown = True
            line.remove()
            add_children(parent, more.node, more.start)


def add_children(parent: TreeNode[TreeData], node: TraceNode, start: int) -> None:
    """Add `node`'s children from `start`, at most a page of them, then a line for the rest."""
    children = node.children
    end = min(len(children), start + PAGE)
    for index in range(start, end):
        child = children[index]
        parent.add(node_label(child), data=child, allow_expand=bool(child.children))
    if end < len(children):
        parent.add_leaf(
            cell(f"... {len(children) - end:,} more (Enter shows {min(PAGE, len(children) - end)})", "dim"),
            data=More(node, end),
        )
