"""Walk a script's syntax tree and evaluate the safe subset that builds Keras models.

Nothing in the script is executed by Python: every statement and expression is
interpreted here. Plain data is computed; Keras names are modelled by
:mod:`.keras_api`; anything else (``open``, ``os.system``, ``np.load``, a library the
frontend does not know) becomes an :class:`~.values.Unknown` value — never called — and
an error only if a model number depends on it. A step budget stops endless loops.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any, NoReturn

from .keras_api import LAYER_KWARGS, OPERATORS, KerasWorld
from .keras_api import _restructure as restructure
from .limits import MAX_CALL_DEPTH, MAX_ITEMS, Budget, ScriptError
from .paths import canonical, is_keras
from .pyvalues import MATH, MATH_CONSTANTS, binop, call_method, check_size, format_value, is_plain
from .serialize import map_graph
from .shapes import shape_of
from .signatures import LAYERS
from .values import (
    MISSING,
    WEIGHT_OP,
    BoundMethod,
    Builtin,
    Function,
    Instance,
    LayerObj,
    Namespace,
    SuperProxy,
    Tensor,
    Unknown,
    UserClass,
    tensors_in,
)

# Calls that would touch the machine. They are never executed whatever the spelling;
# listing them only makes the message say so.
UNSAFE = {"open", "eval", "exec", "compile", "__import__", "input", "breakpoint", "exit",
          "quit", "globals", "locals", "vars", "getattr", "setattr", "delattr", "memoryview",
          "help", "dir", "id", "hash", "object", "type", "classmethod", "staticmethod",
          "property", "iter", "next", "bytes", "bytearray"}  # fmt: skip

_MODEL_NOOPS = {"compile", "fit", "evaluate", "predict", "save", "save_weights",
                "load_weights", "fit_generator", "predict_on_batch", "train_on_batch",
                "to_json", "get_config", "get_weights", "set_weights", "count_params",
                "export", "plot_model", "reset_states", "test_on_batch", "call"}  # fmt: skip


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Scope:
    """Variables of the module, a function call or a class body."""

    def __init__(self, parent: Scope | None, kind: str = "function") -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.kind = kind
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


class Interpreter:
    """Evaluates one script. ``world`` receives the Keras models it builds."""

    def __init__(self, filename: str, world: KerasWorld, budget: Budget | None = None) -> None:
        self.filename = filename
        self.world = world
        self.budget = budget or Budget()
        self.depth = 0
        self.module = Scope(None, "module")
        self.module.vars["__name__"] = "__main__"
        self.module.vars["__file__"] = filename
        world.trace_call = self._trace_call
        world.trace_layer = self._trace_layer
        self.frames: list[tuple[Function, Scope]] = []  # for super()
        self.last_where = filename  # the statement being read, for unexpected failures

    # -- helpers ----------------------------------------------------------------------
    def where(self, node: ast.AST) -> str:
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", -1) + 1  # columns count from 1, as editors do
        return f"{self.filename}:{line}:{col}"

    def fail(self, node: ast.AST, message: str, fix: str | None = None) -> NoReturn:
        raise ScriptError(message, where=self.where(node), fix=fix)

    def text(self, node: ast.AST) -> str:
        try:
            return ast.unparse(node)[:60]
        except Exception:  # unparse of odd nodes: the location is enough
            return type(node).__name__

    # -- statements ---------------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        self.exec_block(tree.body, self.module)

    def exec_block(self, body: list[ast.stmt], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, node: ast.stmt, scope: Scope) -> None:
        self.last_where = self.where(node)
        self.budget.step(self.last_where)
        method = getattr(self, "stmt_" + type(node).__name__, None)
        if method is None:
            self.fail(
                node,
                f"`{type(node).__name__}` statements are not supported when reading a script",
                fix="Rewrite this part with plain assignments, loops and calls",
            )
        method(node, scope)

    def stmt_Expr(self, node: ast.Expr, scope: Scope) -> None:
        self.eval(node.value, scope)

    def stmt_Pass(self, node: ast.Pass, scope: Scope) -> None:
        pass

    def stmt_Assert(self, node: ast.Assert, scope: Scope) -> None:
        pass  # a check the script makes on its own values; nothing to build

    def stmt_Global(self, node: ast.Global, scope: Scope) -> None:
        scope.globals.update(node.names)

    def stmt_Nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        scope.nonlocals.update(node.names)

    def stmt_Assign(self, node: ast.Assign, scope: Scope) -> None:
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign(target, value, scope)

    def stmt_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope)

    def stmt_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        load = _as_load(node.target)
        current = self.eval(load, scope)
        value = self.eval(node.value, scope)
        if isinstance(current, list) and type(node.op).__name__ == "Add" and is_plain(value):
            if len(current) + len(value) > MAX_ITEMS:
                self.fail(node, f"a list with more than {MAX_ITEMS:,} items")
            current.extend(value)  # += on a list mutates it in place, as in Python
            return
        self.assign(node.target, self.binop(type(node.op).__name__, current, value, node), scope)

    def stmt_Delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                scope.vars.pop(target.id, None)

    def stmt_If(self, node: ast.If, scope: Scope) -> None:
        if self.truth(self.eval(node.test, scope), node.test):
            self.exec_block(node.body, scope)
        else:
            self.exec_block(node.orelse, scope)

    def stmt_For(self, node: ast.For, scope: Scope) -> None:
        iterable = self.eval(node.iter, scope)
        broke = False
        for item in self.iterate(iterable, node.iter):
            self.assign(node.target, item, scope)
            try:
                self.exec_block(node.body, scope)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
        if not broke:
            self.exec_block(node.orelse, scope)

    def stmt_While(self, node: ast.While, scope: Scope) -> None:
        broke = False
        while self.truth(self.eval(node.test, scope), node.test):
            self.budget.step(self.where(node))
            try:
                self.exec_block(node.body, scope)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
        if not broke:
            self.exec_block(node.orelse, scope)

    def stmt_Break(self, node: ast.Break, scope: Scope) -> None:
        raise _Break

    def stmt_Continue(self, node: ast.Continue, scope: Scope) -> None:
        raise _Continue

    def stmt_Return(self, node: ast.Return, scope: Scope) -> None:
        raise _Return(None if node.value is None else self.eval(node.value, scope))

    def stmt_Raise(self, node: ast.Raise, scope: Scope) -> None:
        what = self.text(node.exc) if node.exc is not None else "an exception"
        self.fail(node, f"the script raises {what} here")

    def stmt_Try(self, node: ast.Try, scope: Scope) -> None:
        # Only the path without exceptions is followed: nothing is executed, so nothing
        # the handlers expect (ImportError, IOError, …) can happen.
        try:
            self.exec_block(node.body, scope)
            self.exec_block(node.orelse, scope)
        finally:
            self.exec_block(node.finalbody, scope)

    stmt_TryStar = stmt_Try

    def stmt_With(self, node: ast.With, scope: Scope) -> None:
        for item in node.items:
            value = self.eval(item.context_expr, scope)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value, scope)
        self.exec_block(node.body, scope)

    def stmt_Import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            if alias.asname:
                self.bind(alias.asname, Namespace(canonical(alias.name)), scope)
            else:
                top = alias.name.split(".")[0]
                self.bind(top, Namespace(canonical(top)), scope)

    def stmt_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        if node.level:  # relative import: a package the file belongs to, unknown here
            base = "." * node.level + (node.module or "")
            for alias in node.names:
                self.bind(alias.asname or alias.name, Unknown(f"{base}.{alias.name}",
                          self.where(node)), scope)  # fmt: skip
            return
        module = canonical(node.module or "")
        for alias in node.names:
            if alias.name == "*":
                for name, value in _star_names(module).items():
                    self.bind(name, value, scope)
                continue
            self.bind(alias.asname or alias.name, Namespace(canonical(f"{module}.{alias.name}")),
                      scope)  # fmt: skip

    def stmt_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        fn = self.make_function(node, scope, node.name)
        self.bind(node.name, fn, scope)

    def stmt_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, scope: Scope) -> None:
        self.bind(node.name, Unknown(f"async function {node.name}", self.where(node)), scope)

    def make_function(
        self, node: ast.FunctionDef | ast.Lambda, scope: Scope, name: str
    ) -> Function:
        defaults = [self.eval(d, scope) for d in node.args.defaults]
        kw_defaults = [MISSING if d is None else self.eval(d, scope) for d in node.args.kw_defaults]
        # Methods close over the module, not the class body (Python's scoping rule).
        closure = scope if scope.kind != "class" else (scope.parent or self.module)
        return Function(name, node, defaults, kw_defaults, closure, self.where(node))

    def stmt_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        bases = [self.eval(b, scope) for b in node.bases]
        body = Scope(scope, "class")
        cls = UserClass(node.name, bases, body.vars, self.where(node))
        self.exec_block(node.body, body)
        for value in body.vars.values():
            if isinstance(value, Function):
                value.owner = cls
        self.bind(node.name, cls, scope)

    # -- assignment ---------------------------------------------------------------------
    def bind(self, name: str, value: Any, scope: Scope) -> None:
        if name in scope.globals:
            self.module.vars[name] = value
            return
        if name in scope.nonlocals:
            outer = scope.parent
            while outer is not None and name not in outer.vars:
                outer = outer.parent
            (outer or scope).vars[name] = value
            return
        scope.vars[name] = value

    def assign(self, target: ast.expr, value: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value, scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value, scope)
        elif isinstance(target, ast.Attribute):
            self.set_attr(self.eval(target.value, scope), target.attr, value, target)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, scope)
            key = self.eval(target.slice, scope)
            if isinstance(container, (list, dict)) and is_plain(key):
                try:
                    container[key] = value
                except Exception as err:
                    self.fail(target, f"{type(err).__name__}: {err}")
            elif not isinstance(container, Unknown):
                self.fail(target, f"cannot assign an item of {_kind(container)}")
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, scope)
        else:
            self.fail(target, f"cannot assign to {type(target).__name__}")

    def unpack(self, target: ast.Tuple | ast.List, value: Any, scope: Scope) -> None:
        if isinstance(value, Unknown):
            for elt in target.elts:
                self.assign(elt, value, scope)
            return
        items = list(self.iterate(value, target))
        starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
        if starred:
            i = starred[0]
            after = len(target.elts) - i - 1
            if len(items) < len(target.elts) - 1:
                self.fail(target, f"not enough values to unpack (got {len(items)})")
            groups = [*items[:i], items[i : len(items) - after], *items[len(items) - after :]]
        else:
            if len(items) != len(target.elts):
                self.fail(
                    target,
                    f"cannot unpack {len(items)} values into {len(target.elts)} names",
                )
            groups = items
        for elt, item in zip(target.elts, groups):
            self.assign(elt, item, scope)

    def set_attr(self, obj: Any, name: str, value: Any, node: ast.AST) -> None:
        if isinstance(obj, Instance):
            obj.attrs[name] = value
            if obj.layer is not None:
                _track(obj.layer, value)
                if name == "trainable" and isinstance(value, bool):
                    obj.layer.config["trainable"] = value
            return
        if isinstance(obj, LayerObj):
            if name == "trainable":
                if not isinstance(value, bool):
                    self.fail(node, "trainable must be True or False written in the file")
                obj.config["trainable"] = value
            return  # other attributes do not change the architecture
        if isinstance(obj, Tensor):
            return
        if isinstance(obj, (Unknown, Namespace)):
            return  # e.g. keras.config settings: nothing to record
        self.fail(node, f"cannot set attribute '{name}' of {_kind(obj)}")

    # -- expressions --------------------------------------------------------------------
    def eval(self, node: ast.expr, scope: Scope) -> Any:
        self.budget.step(self.where(node))
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            self.fail(node, f"`{type(node).__name__}` expressions are not supported here")
        return method(node, scope)

    def expr_Constant(self, node: ast.Constant, scope: Scope) -> Any:
        return node.value

    def expr_Name(self, node: ast.Name, scope: Scope) -> Any:
        found = self.lookup(node.id, scope)
        if found is MISSING:
            self.fail(node, f"NameError: name '{node.id}' is not defined")
        return found

    def lookup(self, name: str, scope: Scope) -> Any:
        s: Scope | None = scope
        if name in scope.globals:
            s = self.module
        while s is not None:
            if name in s.vars and (s is scope or s.kind != "class"):
                return s.vars[name]
            s = s.parent
        return BUILTINS.get(name, MISSING) if name not in UNSAFE else Builtin(name, _unsafe)

    def expr_Tuple(self, node: ast.Tuple, scope: Scope) -> Any:
        return tuple(self.eval_items(node.elts, scope))

    def expr_List(self, node: ast.List, scope: Scope) -> Any:
        return self.eval_items(node.elts, scope)

    def expr_Set(self, node: ast.Set, scope: Scope) -> Any:
        items = self.eval_items(node.elts, scope)
        try:
            return set(items)
        except TypeError as err:
            self.fail(node, f"TypeError: {err}")

    def eval_items(self, elts: list[ast.expr], scope: Scope) -> list[Any]:
        out: list[Any] = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                out.extend(self.iterate(self.eval(elt.value, scope), elt))
            else:
                out.append(self.eval(elt, scope))
        return check_size(out, "")  # type: ignore[no-any-return]

    def expr_Dict(self, node: ast.Dict, scope: Scope) -> Any:
        out: dict[Any, Any] = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                inner = self.eval(v, scope)
                if isinstance(inner, dict):
                    out.update(inner)
                continue
            key = self.eval(k, scope)
            try:
                out[key] = self.eval(v, scope)
            except TypeError as err:
                self.fail(k, f"TypeError: {err}")
        return out

    def expr_JoinedStr(self, node: ast.JoinedStr, scope: Scope) -> Any:
        parts: list[str] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
                continue
            assert isinstance(value, ast.FormattedValue)
            inner = self.eval(value.value, scope)
            if isinstance(inner, Unknown):
                return inner
            spec = ""
            if value.format_spec is not None:
                spec_value = self.eval(value.format_spec, scope)
                if isinstance(spec_value, Unknown):
                    return spec_value
                spec = str(spec_value)
            if value.conversion == ord("r"):
                inner = repr(inner) if is_plain(inner) else str(inner)
            if not is_plain(inner):
                inner = _describe(inner)
            parts.append(format_value(inner, spec, self.where(value)))
        return check_size("".join(parts), self.where(node))

    def expr_FormattedValue(self, node: ast.FormattedValue, scope: Scope) -> Any:
        return self.expr_JoinedStr(ast.JoinedStr(values=[node]), scope)

    def expr_BinOp(self, node: ast.BinOp, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binop(type(node.op).__name__, left, right, node)

    def binop(self, op: str, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            if op not in OPERATORS:
                self.fail(node, f"the operator {op} on Keras tensors is not supported")
            return self.world.operation(OPERATORS[op], [left, right], self.where(node))
        for side in (left, right):
            if isinstance(side, Unknown):
                return side
        sequences = isinstance(left, (list, tuple)) or isinstance(right, (list, tuple))
        if op in ("Add", "Mult") and sequences:
            # Lists of layers or tensors: concatenation and repetition never look inside.
            return binop(op, left, right, self.where(node))
        if not (is_plain(left) and is_plain(right)):
            self.fail(node, f"TypeError: cannot apply {op} to {_kind(left)} and {_kind(right)}")
        return binop(op, left, right, self.where(node))

    def expr_UnaryOp(self, node: ast.UnaryOp, scope: Scope) -> Any:
        value = self.eval(node.operand, scope)
        op = type(node.op).__name__
        if op == "Not":
            return not self.truth(value, node.operand)
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Tensor):
            if op == "USub":
                return self.world.operation("Negative", [value], self.where(node))
            self.fail(node, f"unary {op} on a Keras tensor is not supported")
        if not isinstance(value, (int, float, complex)):
            self.fail(node, f"TypeError: bad operand for unary {op}: {_kind(value)}")
        if op == "USub":
            return -value
        if op == "UAdd":
            return +value
        if isinstance(value, int):
            return ~value
        self.fail(node, "TypeError: bad operand for unary ~")

    def expr_BoolOp(self, node: ast.BoolOp, scope: Scope) -> Any:
        is_and = isinstance(node.op, ast.And)
        value: Any = None
        for operand in node.values:
            value = self.eval(operand, scope)
            if isinstance(value, Unknown):
                return value
            if self.truth(value, operand) != is_and:
                return value
        return value

    def expr_Compare(self, node: ast.Compare, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.eval(comparator, scope)
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                return left if isinstance(left, Unknown) else right
            result = self.compare(type(op).__name__, left, right, node)
            if not result:
                return False
            left = right
        return True

    def compare(self, op: str, left: Any, right: Any, node: ast.AST) -> bool:
        if op == "Is":
            return left is right
        if op == "IsNot":
            return left is not right
        plain = is_plain(left) and is_plain(right)
        if op in ("Eq", "NotEq") and not plain:
            same = left is right
            return same if op == "Eq" else not same
        if op in ("In", "NotIn") and isinstance(right, (list, tuple, dict, set)):
            found = any(left is item or (is_plain(item) and item == left) for item in right)
            return found if op == "In" else not found
        if not plain:
            self.fail(node, f"cannot compare {_kind(left)} with {_kind(right)}")
        try:
            return bool(_COMPARE[op](left, right))
        except Exception as err:
            self.fail(node, f"{type(err).__name__}: {err}")

    def expr_IfExp(self, node: ast.IfExp, scope: Scope) -> Any:
        if self.truth(self.eval(node.test, scope), node.test):
            return self.eval(node.body, scope)
        return self.eval(node.orelse, scope)

    def expr_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def expr_Lambda(self, node: ast.Lambda, scope: Scope) -> Any:
        return self.make_function(node, scope, "<lambda>")

    def expr_Slice(self, node: ast.Slice, scope: Scope) -> Any:
        parts = [
            None if p is None else self.eval(p, scope) for p in (node.lower, node.upper, node.step)
        ]
        for part in parts:
            if isinstance(part, Unknown):
                return part
        return slice(*parts)

    def expr_Subscript(self, node: ast.Subscript, scope: Scope) -> Any:
        container = self.eval(node.value, scope)
        key = self.eval(node.slice, scope)
        if isinstance(container, Unknown):
            return container
        if isinstance(key, Unknown):
            return key
        if isinstance(container, Tensor):
            # x[key]: Keras records a GetItem operation, the key in its inbound node
            parts = key if isinstance(key, tuple) else (key,)
            if not all(p is None or p is Ellipsis or isinstance(p, slice) or
                       (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
                self.fail(node, "a Keras tensor is indexed here by something else than ints, "
                          f"slices, None and ... ({repr(key)[:60]})")  # fmt: skip
            return self.world.operation("GetItem", [container, key], self.where(node))
        if isinstance(container, (list, tuple, str, dict, range)) and (
            is_plain(key) or isinstance(key, slice)
        ):
            try:
                return container[key]
            except Exception as err:
                self.fail(node, f"{type(err).__name__}: {err}")
        self.fail(node, f"cannot index {_kind(container)}")

    def expr_Starred(self, node: ast.Starred, scope: Scope) -> Any:
        self.fail(node, "a starred expression is not allowed here")

    def comprehension(self, generators: list[ast.comprehension], scope: Scope) -> Iterator[Scope]:
        inner = Scope(scope, "function")
        inner.vars = {}

        def walk(i: int) -> Iterator[Scope]:
            if i == len(generators):
                yield inner
                return
            gen = generators[i]
            for item in self.iterate(self.eval(gen.iter, inner if i else scope), gen.iter):
                self.assign(gen.target, item, inner)
                if all(self.truth(self.eval(c, inner), c) for c in gen.ifs):
                    yield from walk(i + 1)

        return walk(0)

    def expr_ListComp(self, node: ast.ListComp, scope: Scope) -> Any:
        out = [self.eval(node.elt, s) for s in self.comprehension(node.generators, scope)]
        return check_size(out, self.where(node))

    expr_GeneratorExp = expr_ListComp  # evaluated eagerly: the budget bounds it anyway

    def expr_SetComp(self, node: ast.SetComp, scope: Scope) -> Any:
        return set(self.expr_ListComp(node, scope))  # type: ignore[arg-type]

    def expr_DictComp(self, node: ast.DictComp, scope: Scope) -> Any:
        out = {}
        for s in self.comprehension(node.generators, scope):
            out[self.eval(node.key, s)] = self.eval(node.value, s)
        return check_size(out, self.where(node))

    def expr_Attribute(self, node: ast.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        return self.get_attr(obj, node.attr, node)

    def get_attr(self, obj: Any, name: str, node: ast.AST) -> Any:
        where = self.where(node)
        if isinstance(obj, SuperProxy):
            return self.super_attr(obj, name, node)
        if name.startswith("__") and name.endswith("__"):
            if name == "__name__" and isinstance(obj, (UserClass, Function)):
                return obj.name
            self.fail(node, f"attribute '{name}' is not available when reading a script")
        if isinstance(obj, Namespace):
            path = canonical(f"{obj.path}.{name}")
            if obj.path in ("math", "numpy") and name in MATH_CONSTANTS:
                return MATH_CONSTANTS[name]
            return Namespace(path)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, Instance):
            if name in obj.attrs:
                return obj.attrs[name]
            found = obj.cls.lookup(name)
            if isinstance(found, Function):
                return BoundMethod(found, obj)
            if found is not MISSING:
                return found
            if obj.layer is not None:
                return self.layer_attr(obj.layer, name, node)
            self.fail(node, f"AttributeError: '{obj.cls.name}' object has no attribute '{name}'")
        if isinstance(obj, LayerObj):
            return self.layer_attr(obj, name, node)
        if isinstance(obj, Tensor):
            if name == "shape":
                return self.world.tensor_shape(obj, where)
            if name == "ndim":
                return len(self.world.tensor_shape(obj, where))
            if name == "dtype":
                return obj.dtype
            if name == "name":
                return obj.node.layer.name
            self.fail(node, f"Keras tensor attribute '{name}' is not supported")
        if isinstance(obj, UserClass):
            found = obj.lookup(name)
            if found is MISSING:
                self.fail(node, f"AttributeError: class '{obj.name}' has no attribute '{name}'")
            return found
        if isinstance(obj, complex) and name in ("real", "imag"):
            return getattr(obj, name)
        if isinstance(obj, slice) and name in ("start", "stop", "step"):
            return getattr(obj, name)
        if isinstance(obj, (list, tuple, dict, set, str, int, float)):
            # Containers may hold layers and tensors; _method decides what is allowed.
            return Builtin(f"{type(obj).__name__}.{name}", _method(name), bound=obj)
        self.fail(node, f"AttributeError: {_kind(obj)} has no attribute '{name}'")

    def super_attr(self, proxy: SuperProxy, name: str, node: ast.AST) -> Any:
        for base in proxy.owner.bases:
            if isinstance(base, UserClass):
                found = base.lookup(name)
                if isinstance(found, Function):
                    return BoundMethod(found, proxy.instance)
                if found is not MISSING:
                    return found
        if name == "__init__":
            return Builtin("super().__init__", _super_init, bound=proxy.instance)
        if proxy.instance.layer is not None:
            return self.layer_attr(proxy.instance.layer, name, node)
        return Unknown(f"super().{name}", self.where(node))

    def layer_attr(self, layer: LayerObj, name: str, node: ast.AST) -> Any:
        where = self.where(node)
        world = self.world
        if name == "name":
            return layer.name
        if name == "trainable":
            return layer.trainable
        if name in ("output", "input"):
            if layer.is_model:
                if layer.inputs is None and layer.kind == "sequential" and layer.members:
                    pass
                value = layer.outputs if name == "output" else layer.inputs
                if value is None:
                    self.fail(node, f"model '{layer.name}' has no {name} yet (it is not built)")
                return value
            if not layer.nodes:
                self.fail(node, f"layer '{layer.name}' has never been called, so it has no {name}")
            n = layer.nodes[0]
            if name == "input":
                ins = n.input_tensors
                return ins[0] if len(ins) == 1 else ins
            return n.outputs[0] if len(n.outputs) == 1 else list(n.outputs)
        if name in ("inputs", "outputs"):
            value = layer.inputs if name == "inputs" else layer.outputs
            if value is None:
                self.fail(node, f"model '{layer.name}' has no {name} yet (it is not built)")
            return list(tensors_in(value))
        if name in ("input_shape", "output_shape"):
            value = layer.inputs if name == "input_shape" else layer.outputs
            tensors = list(tensors_in(value)) if value is not None else []
            if len(tensors) != 1:
                self.fail(node, f"'{layer.name}'.{name} is not known here")
            return world.tensor_shape(tensors[0], where)
        if name == "layers":
            return _model_layers(layer)
        if name in ("add_weight", "add_variable") and layer.is_custom_layer:
            return Builtin(name, _add_weight, bound=layer)
        if name in layer.config:
            return layer.config[name]
        methods = {
            "summary", "add", "build", "get_layer", "pop", *_MODEL_NOOPS,
        }  # fmt: skip
        if name in methods:
            return Builtin(name, _model_method(name), bound=layer)
        return Unknown(f"{layer.name}.{name}", where)

    # -- calls --------------------------------------------------------------------------
    def expr_Call(self, node: ast.Call, scope: Scope) -> Any:
        callee = self.eval(node.func, scope)
        args: list[Any] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                args.extend(self.iterate(self.eval(a.value, scope), a))
            else:
                args.append(self.eval(a, scope))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            value = self.eval(kw.value, scope)
            if kw.arg is None:
                if isinstance(value, dict) and all(isinstance(k, str) for k in value):
                    kwargs.update(value)
                elif not isinstance(value, Unknown):
                    self.fail(kw, "** needs a dict with string keys")
            else:
                kwargs[kw.arg] = value
        return self.call(callee, args, kwargs, node)

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        where = self.where(node)
        if isinstance(callee, Builtin):
            return callee.fn(self, callee, args, kwargs, node)
        if isinstance(callee, Function):
            return self.call_function(callee, args, kwargs, node)
        if isinstance(callee, BoundMethod):
            return self.call_function(callee.function, [callee.instance, *args], kwargs, node)
        if isinstance(callee, LayerObj):
            return self.world.call_layer(callee, args, kwargs, where)
        if isinstance(callee, Instance):
            if callee.layer is not None:
                return self.world.call_layer(callee.layer, args, kwargs, where)
            method = callee.cls.lookup("__call__")
            if isinstance(method, Function):
                return self.call_function(method, [callee, *args], kwargs, node)
            self.fail(node, f"'{callee.cls.name}' object is not callable")
        if isinstance(callee, UserClass):
            return self.instantiate(callee, args, kwargs, node)
        if isinstance(callee, Namespace):
            return self.call_path(callee.path, args, kwargs, node)
        if isinstance(callee, Unknown):
            self._refuse_tensors(callee.what, args, kwargs, node)
            return callee
        self.fail(node, f"TypeError: {_kind(callee)} is not callable")

    def call_path(self, path: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        where = self.where(node)
        if is_keras(path):
            result = self.world.keras_function(path, args, kwargs, where)
            if result is not MISSING:
                return result
        elif path in ("math", "numpy") or path.split(".")[0] in ("math", "numpy"):
            fn = MATH.get(path.split(".")[-1])
            if fn is not None and len(path.split(".")) == 2 and all(is_plain(a) for a in args):
                return self.pure_math(path.split(".")[-1], fn, args, node)
        self._refuse_tensors(path, args, kwargs, node)
        # Never called: an unknown function's result is unknown (os.system, np.load, …).
        return Unknown(f"{path}(...)", where)

    def pure_math(self, name: str, fn: Any, args: list[Any], node: ast.AST) -> Any:
        if name == "prod":
            items = list(self.iterate(args[0], node)) if args else []
            result: Any = 1
            for item in items:
                result = binop("Mult", result, item, self.where(node))
            return result
        if any(isinstance(a, (list, tuple, dict, str)) for a in args):
            self.fail(node, f"{name}() takes numbers")
        try:
            return check_size(fn(*args), self.where(node))
        except ScriptError:
            raise
        except Exception as err:
            self.fail(node, f"{type(err).__name__}: {err}")

    def _refuse_tensors(
        self, what: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> None:
        if any(True for _ in tensors_in((args, kwargs))):
            self.fail(
                node,
                f"{what} is applied to a Keras tensor, but it is not a Keras layer or "
                "operation modelmath knows, so the shapes after it cannot be told from the file",
                fix="Use a Keras layer for this step (keras.layers.*), or save the model "
                "with model.save('model.keras') and pass that file",
            )

    def call_function(
        self, fn: Function, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        if self.depth >= MAX_CALL_DEPTH:
            self.fail(node, f"calls nested more than {MAX_CALL_DEPTH} deep (endless recursion?)")
        scope = Scope(fn.closure, "function")
        self.bind_args(fn, args, kwargs, scope, node)
        self.depth += 1
        self.frames.append((fn, scope))
        try:
            if isinstance(fn.node, ast.Lambda):
                return self.eval(fn.node.body, scope)
            if _is_generator(fn.node):
                self.fail(node, f"generator function '{fn.name}' is not supported")
            self.exec_block(fn.node.body, scope)
            return None
        except _Return as ret:
            return ret.value
        finally:
            self.depth -= 1
            self.frames.pop()

    def bind_args(
        self, fn: Function, args: list[Any], kwargs: dict[str, Any], scope: Scope, node: ast.AST
    ) -> None:
        spec = fn.node.args
        positional = [*spec.posonlyargs, *spec.args]
        names = [a.arg for a in positional]
        for name, value in zip(names, args):
            scope.vars[name] = value
        extra = args[len(names) :]
        if extra and spec.vararg is None:
            self.fail(
                node,
                f"TypeError: {fn.name}() takes {len(names)} positional arguments "
                f"but {len(args)} were given",
            )
        if spec.vararg is not None:
            scope.vars[spec.vararg.arg] = tuple(extra)
        rest: dict[str, Any] = {}
        kwonly = [a.arg for a in spec.kwonlyargs]
        for key, value in kwargs.items():
            if key in names[len(args) :] or key in kwonly:
                scope.vars[key] = value
            elif key in names:
                self.fail(node, f"TypeError: {fn.name}() got multiple values for argument '{key}'")
            elif spec.kwarg is not None:
                rest[key] = value
            else:
                self.fail(
                    node, f"TypeError: {fn.name}() got an unexpected keyword argument '{key}'"
                )
        if spec.kwarg is not None:
            scope.vars[spec.kwarg.arg] = rest
        defaults = dict(zip(names[len(names) - len(fn.defaults) :], fn.defaults))
        for name in names:
            if name not in scope.vars:
                if name not in defaults:
                    self.fail(node, f"TypeError: {fn.name}() missing required argument '{name}'")
                scope.vars[name] = defaults[name]
        for name, default in zip(kwonly, fn.kw_defaults):
            if name not in scope.vars:
                if default is MISSING:
                    self.fail(node, f"TypeError: {fn.name}() missing keyword argument '{name}'")
                scope.vars[name] = default

    # -- classes ------------------------------------------------------------------------
    def instantiate(
        self, cls: UserClass, args: list[Any], kwargs: dict[str, Any], node: ast.AST
    ) -> Any:
        instance = Instance(cls)
        base = cls.keras_base
        if base is not None:
            path = canonical(base)
            if path not in ("keras.Model", "keras.Layer", "keras.Sequential"):
                self.fail(node, f"classes derived from {base} are not supported yet")
            kind = "subclassed" if path == "keras.Model" else "layer"
            if path == "keras.Sequential":
                self.fail(node, "classes derived from keras.Sequential are not supported yet")
            instance.layer = LayerObj(
                cls.name, "", {"trainable": True}, self.where(node), kind=kind,
                module="__main__", instance=instance,
            )  # fmt: skip
        init = cls.lookup("__init__")
        if isinstance(init, Function):
            self.call_function(init, [instance, *args], kwargs, node)
        elif (args or kwargs) and base is None:
            self.fail(node, f"TypeError: {cls.name}() takes no arguments")
        elif instance.layer is not None and instance.layer.kind in ("layer", "subclassed"):
            # No __init__ of its own: keras.layers.Layer.__init__ takes the arguments.
            if args and instance.layer.kind == "layer":
                self.fail(
                    node,
                    f"TypeError: {cls.name}() takes keyword arguments only (its __init__ is "
                    "keras.layers.Layer's)",
                )
            _super_init(self, Builtin("super().__init__", _super_init, bound=instance), [],
                        kwargs, node)  # fmt: skip
        if instance.layer is not None and not instance.layer.name:
            # super().__init__() was not called: Keras would refuse; name it anyway.
            instance.layer.name = self.world.namer.auto(cls.name)
        if instance.layer is not None and instance.layer.kind == "subclassed":
            self.world.models.append(instance.layer)
        return instance

    def _trace_call(
        self, instance: Instance, args: list[Any], kwargs: dict[str, Any], where: str
    ) -> Any:
        method = instance.cls.lookup("call")
        if not isinstance(method, Function):
            raise ScriptError(
                f"model class '{instance.cls.name}' has no call() method", where=where
            )
        kwargs = {k: v for k, v in kwargs.items() if k in ("training", "mask")}
        return self.call_function(method, [instance, *args], kwargs, method.node)

    def _trace_layer(
        self, layer: LayerObj, args: list[Any], kwargs: dict[str, Any], where: str
    ) -> None:
        """A custom Layer's first call: read its build() and call() on fresh tensors of the
        input shapes, as Keras does, to learn its outputs and the sublayers it calls.

        What cannot be read (an unknown library on a tensor, an op without a rule, a
        weight of unknown shape) makes the layer opaque: one "no formula" row, as before.
        """
        instance = layer.instance
        world = self.world
        if not layer.is_lambda:
            assert isinstance(instance, Instance)
            if not isinstance(instance.cls.lookup("call"), Function):
                layer.opaque = "it has no call() method in the file"
                return
        tensors = list(tensors_in((args, kwargs)))
        shapes = [t.shape_cache or shape_of(t) for t in tensors]
        if any(s is None for s in shapes):
            layer.opaque = "the shape of its input is not known"
            return
        fresh = iter([world._hidden_tensor(layer, i, s, where) for i, s in enumerate(shapes)])
        inner_args = [restructure(a, fresh) for a in args]
        inner_kwargs = {k: restructure(v, fresh) for k, v in kwargs.items()}
        inputs = list(tensors_in((inner_args, inner_kwargs)))
        world.quiet += 1
        try:
            if layer.is_lambda:
                # Lambda.call: function(inputs, **arguments), the inputs as given
                function, arguments = layer.config["function"], layer.config.get("arguments")
                assert isinstance(function, Function)  # see keras_api._readable_lambda
                extra = dict(arguments) if isinstance(arguments, dict) else {}
                outputs = self.call_function(function, inner_args[:1], extra, function.node)
            else:
                build = instance.cls.lookup("build")
                if isinstance(build, Function):
                    first = args[0] if args else next(iter(kwargs.values()), None)
                    shape_arg = restructure(first, iter(shapes))
                    self.call_function(build, [instance, shape_arg], {}, build.node)
                if layer.opaque:
                    return
                outputs = self._run_method(instance, "call", inner_args, inner_kwargs)
        except ScriptError as err:
            if self.budget.spent:
                raise
            what = "its function" if layer.is_lambda else "its call()"
            layer.opaque = f"{what} cannot be read ({err.message} at {err.where})"
            return
        finally:
            world.quiet -= 1
        if layer.opaque:
            return
        if not list(tensors_in(outputs)):
            layer.opaque = "its call() returns no Keras tensor"
            return
        for t in tensors_in(outputs):
            if shape_of(t) is None:
                layer.opaque = "a step of its call() has no formula"
                return
        _, ops = map_graph(inputs, list(tensors_in(outputs)), layer.name)
        tracked = set() if layer.is_lambda else _tracked(instance)
        for op in ops:
            if op.kind in ("input", "op") or op.class_name == WEIGHT_OP or id(op) in tracked:
                continue
            if op.class_name not in WEIGHTLESS:
                layer.opaque = (
                    f"its function uses {op.class_name} '{op.name}', whose weights Keras's "
                    "Lambda does not track"
                    if layer.is_lambda
                    else f"its call() uses {op.class_name} '{op.name}', which it does not "
                    "keep as an attribute, so Keras does not count that layer's weights"
                )
                return
        layer.inputs = inputs if len(inputs) > 1 else inputs[0]
        layer.outputs = outputs

    def _run_method(
        self, instance: Instance, name: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        method = instance.cls.lookup(name)
        assert isinstance(method, Function)
        return self.call_function(method, [instance, *args], kwargs, method.node)

    # -- iteration and truth ------------------------------------------------------------
    def iterate(self, value: Any, node: ast.AST) -> Iterator[Any]:
        where = self.where(node)
        if isinstance(value, Unknown):
            self.fail(
                node,
                f"the script loops over {value.what} ({value.where}), which is only known "
                "when the script runs",
                fix="Write the values in the script",
            )
        if isinstance(value, Tensor):
            self.fail(node, "iterating over a Keras tensor is not supported")
        if isinstance(value, (dict, set, frozenset)):
            value = list(value)
        if isinstance(value, LayerObj) or not isinstance(value, (list, tuple, str, range)):
            self.fail(node, f"TypeError: {_kind(value)} is not iterable")
        for item in value:
            self.budget.step(where)
            yield item

    def truth(self, value: Any, node: ast.AST) -> bool:
        if isinstance(value, Unknown):
            self.fail(
                node,
                f"this condition depends on {value.what} ({value.where}), which is only "
                "known when the script runs",
                fix="Write the value in the script so modelmath knows which branch runs",
            )
        if is_plain(value):
            return bool(value)
        return True  # layers, tensors, functions are truthy objects


# -- built-in functions --------------------------------------------------------------------
def _unsafe(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
            node: ast.AST) -> Any:  # fmt: skip
    # open(), eval(), exec(), __import__(), …: never run; their result is unknown.
    return Unknown(f"{me.name}(...)", interp.where(node))


def _plain_args(interp: Interpreter, me: Builtin, args: list[Any], node: ast.AST) -> None:
    for a in args:
        if isinstance(a, Unknown):
            raise _UnknownResult(a)
        if not is_plain(a):
            interp.fail(node, f"{me.name}() of {_kind(a)} is not supported")


class _UnknownResult(Exception):
    def __init__(self, value: Unknown) -> None:
        self.value = value


def _pure(fn: Any, iterates: bool = False) -> Any:
    """A Python builtin applied to plain data; iterables are walked under the budget."""

    def call(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
             node: ast.AST) -> Any:  # fmt: skip
        try:
            _plain_args(interp, me, [*args, *kwargs.values()], node)
        except _UnknownResult as u:
            return u.value
        if iterates and args:
            args = [list(interp.iterate(args[0], node)), *args[1:]]
        try:
            return check_size(fn(*args, **kwargs), interp.where(node))
        except ScriptError:
            raise
        except Exception as err:
            interp.fail(node, f"{type(err).__name__}: {err}")

    return call


def _range(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
           node: ast.AST) -> Any:  # fmt: skip
    for a in args:
        if isinstance(a, Unknown):
            interp.fail(node, f"range() of {a.what} ({a.where}), only known when the script runs",
                        fix="Write the number in the script")  # fmt: skip
        if not isinstance(a, int):
            interp.fail(node, f"TypeError: range() takes integers, not {_kind(a)}")
    return range(*args)


def _len(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
         node: ast.AST) -> Any:  # fmt: skip
    (value,) = args
    if isinstance(value, Unknown):
        return value
    if isinstance(value, LayerObj) and value.is_model:
        return len(_model_layers(value))
    if not isinstance(value, (list, tuple, str, dict, range, set)):
        interp.fail(node, f"TypeError: {_kind(value)} has no len()")
    return len(value)


def _list_like(kind: type) -> Any:
    def call(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
             node: ast.AST) -> Any:  # fmt: skip
        if not args:
            return kind()
        if isinstance(args[0], Unknown):
            return args[0]
        return check_size(kind(interp.iterate(args[0], node)), interp.where(node))

    return call


def _enumerate(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
               node: ast.AST) -> Any:  # fmt: skip
    start = args[1] if len(args) > 1 else kwargs.get("start", 0)
    return [(start + i, v) for i, v in enumerate(interp.iterate(args[0], node))]


def _zip(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
         node: ast.AST) -> Any:  # fmt: skip
    return list(zip(*[list(interp.iterate(a, node)) for a in args]))


def _reversed(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
              node: ast.AST) -> Any:  # fmt: skip
    return list(interp.iterate(args[0], node))[::-1]


def _map(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
         node: ast.AST) -> Any:  # fmt: skip
    fn, *iterables = args
    columns = [list(interp.iterate(it, node)) for it in iterables]
    return [interp.call(fn, list(items), {}, node) for items in zip(*columns)]


def _filter(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
            node: ast.AST) -> Any:  # fmt: skip
    fn, iterable = args
    items = list(interp.iterate(iterable, node))
    if fn is None:
        return [x for x in items if interp.truth(x, node)]
    return [x for x in items if interp.truth(interp.call(fn, [x], {}, node), node)]


def _print(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
           node: ast.AST) -> Any:  # fmt: skip
    return None  # output of the script is not reproduced


def _isinstance(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST) -> Any:  # fmt: skip
    value, types = args
    options = types if isinstance(types, tuple) else (types,)
    for t in options:
        if isinstance(t, Builtin) and t.name in _TYPES and isinstance(value, _TYPES[t.name]):
            return not (t.name == "int" and isinstance(value, bool))
        if isinstance(t, UserClass) and isinstance(value, Instance):
            c: Any = value.cls
            if c is t or t in _all_bases(c):
                return True
        if isinstance(t, Namespace) and isinstance(value, (LayerObj, Tensor, Instance)):
            return Unknown(f"isinstance(..., {t.path})", interp.where(node))
    return False


def _all_bases(cls: UserClass) -> list[Any]:
    out: list[Any] = []
    for b in cls.bases:
        out.append(b)
        if isinstance(b, UserClass):
            out.extend(_all_bases(b))
    return out


def _super(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
           node: ast.AST) -> Any:  # fmt: skip
    if len(args) == 2 and isinstance(args[0], UserClass) and isinstance(args[1], Instance):
        return SuperProxy(args[1], args[0])
    if not interp.frames:
        interp.fail(node, "super() is only supported inside a method")
    fn, scope = interp.frames[-1]
    spec = fn.node.args
    first = [*spec.posonlyargs, *spec.args][:1]
    instance = scope.vars.get(first[0].arg) if first else None
    if fn.owner is None or not isinstance(instance, Instance):
        interp.fail(node, "super() is only supported inside a method")
    return SuperProxy(instance, fn.owner)


def _super_init(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST) -> Any:  # fmt: skip
    # keras.Model.__init__ / keras.layers.Layer.__init__: the name, as Keras picks it
    # (snake_case of the most derived class), and trainable.
    instance: Instance = me.bound
    layer = instance.layer
    if layer is None:
        return None
    # keras.layers.Layer.__init__ refuses the rest (keras.Model's hands them to it, but
    # for inputs= and outputs=, its functional form)
    unknown = [k for k in kwargs if k not in LAYER_KWARGS and k not in ("inputs", "outputs")]
    if layer.kind in ("layer", "subclassed") and unknown:
        interp.fail(
            node,
            f"{instance.cls.name}: keras.layers.Layer.__init__ got the keyword argument "
            f"`{unknown[0]}`, which Keras refuses (Unrecognized keyword arguments passed to "
            f"{instance.cls.name})",
            fix=f"Take `{unknown[0]}` in {instance.cls.name}.__init__ itself, or leave it out "
            "of the call",
        )
    if not layer.name:
        name = kwargs.get("name")
        layer.name = name if isinstance(name, str) else interp.world.namer.auto(instance.cls.name)
    if isinstance(kwargs.get("trainable"), bool):
        layer.config["trainable"] = kwargs["trainable"]
    return None


def _hasattr(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
             node: ast.AST) -> Any:  # fmt: skip
    obj, name = args
    if isinstance(obj, Instance):
        return name in obj.attrs or obj.cls.lookup(name) is not MISSING
    return Unknown(f"hasattr(..., {name!r})", interp.where(node))


_TYPES: dict[str, Any] = {
    "int": int, "float": float, "str": str, "bool": bool, "list": list, "tuple": tuple,
    "dict": dict, "set": set,
}  # fmt: skip


def _method(name: str) -> Any:
    def call(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
             node: ast.AST) -> Any:  # fmt: skip
        for a in (*args, *kwargs.values()):
            if isinstance(a, Unknown):
                return a
        obj = me.bound
        if isinstance(obj, list) and name in ("append", "insert", "extend", "remove", "index",
                                              "count"):  # fmt: skip
            # lists may hold layers and tensors: these methods never look inside them
            if name == "extend":
                args = [list(interp.iterate(args[0], node))]
            if len(obj) + 1 > MAX_ITEMS:
                interp.fail(node, f"a list with more than {MAX_ITEMS:,} items")
            if name in ("append", "insert", "extend"):
                getattr(obj, name)(*args)
                return None
        if isinstance(obj, dict) and name in ("get", "keys", "values", "items", "update",
                                              "setdefault", "pop", "copy"):  # fmt: skip
            try:
                return getattr(obj, name)(*args, **kwargs)
            except Exception as err:
                interp.fail(node, f"{type(err).__name__}: {err}")
        if isinstance(obj, list) and name in ("pop", "copy", "reverse", "clear"):
            try:
                return getattr(obj, name)(*args)
            except Exception as err:
                interp.fail(node, f"{type(err).__name__}: {err}")
        if isinstance(obj, str) and name == "join":
            items = list(interp.iterate(args[0], node))
            if not all(isinstance(i, str) for i in items):
                interp.fail(node, "TypeError: join() takes strings")
            args = [items]
        for a in args:
            if not is_plain(a):
                interp.fail(node, f"{name}() of {_kind(a)} is not supported")
        return call_method(obj, name, args, kwargs, interp.where(node))

    return call


def _model_method(name: str) -> Any:
    def call(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
             node: ast.AST) -> Any:  # fmt: skip
        layer: LayerObj = me.bound
        world = interp.world
        where = interp.where(node)
        if name == "summary":
            if not layer.is_model:
                interp.fail(node, f"'{layer.name}' is a layer, not a model: it has no summary()")
            world.record_summary(layer, where)
            return None
        if name == "add":
            if layer.kind != "sequential":
                interp.fail(node, f"add() is a method of Sequential models, not of {layer.name}")
            world.seq_add(layer, args[0] if args else kwargs.get("layer"), where)
            return None
        if name == "pop":
            if layer.kind != "sequential" or len(layer.members) < 2:
                interp.fail(node, "pop() needs a Sequential model with layers")
            removed = layer.members.pop()
            world.seq_maybe_rebuild(layer)
            return removed
        if name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            world.build(layer, shape, where)
            return None
        if name == "get_layer":
            wanted = args[0] if args else kwargs.get("name", kwargs.get("index"))
            members = _model_layers(layer)
            if isinstance(wanted, int):
                return members[wanted]
            for member in members:
                if member.name == wanted:
                    return member
            interp.fail(node, f"model '{layer.name}' has no layer named {wanted!r}")
        if name == "call" and layer.instance is not None:
            return interp.call(layer.instance, args, kwargs, node)
        if name in ("fit", "evaluate", "predict", "train_on_batch", "predict_on_batch",
                    "fit_generator", "test_on_batch") and layer.is_model:  # fmt: skip
            world.run_on_data(layer, args, where)
        return Unknown(f"{layer.name}.{name}(...)", where)  # compile, fit, save: not run

    return call


def _add_weight(interp: Interpreter, me: Builtin, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST) -> Any:  # fmt: skip
    return interp.world.add_weight(me.bound, args, kwargs, interp.where(node))


# Layers with no weights: a custom layer may create them inside call() (layers.add([...]))
# without keeping them, and its parameter count is still known.
WEIGHTLESS = {
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D",
    "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "Flatten",
    "Reshape", "Permute", "RepeatVector", "Identity", "MaxPooling1D", "MaxPooling2D",
    "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "UpSampling1D",
    "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    "Cropping1D", "Cropping2D", "Cropping3D",
}  # fmt: skip


def _tracked(instance: Instance) -> set[int]:
    """ids of the layers an object keeps in its attributes (in lists, tuples and dicts
    too), as Keras tracks them; a tracked model or custom layer brings its own."""
    found: set[int] = set()
    stack: list[tuple[Any, int]] = [(v, 0) for v in instance.attrs.values()]
    while stack:
        value, depth = stack.pop()
        if depth > 20:
            continue
        if isinstance(value, Instance):
            if value.layer is not None:
                found.add(id(value.layer))
            continue
        if isinstance(value, LayerObj):
            found.add(id(value))
        elif isinstance(value, (list, tuple)):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
    return found


def _model_layers(model: LayerObj) -> list[LayerObj]:
    """``model.layers`` as Keras lists them."""
    from .serialize import map_graph

    if model.kind == "sequential":
        return [m for m in model.members if m.kind != "input"]
    if model.kind == "subclassed":
        return list(model.members)
    if model.kind == "functional":
        _, ops = map_graph(list(tensors_in(model.inputs)), list(tensors_in(model.outputs)))
        return [op for op in ops if op.kind != "op"]
    return []


def _track(model: LayerObj, value: Any) -> None:
    """Keras tracks layers assigned to attributes of a subclassed model, in order."""
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if isinstance(item, Instance) and item.layer is not None:
            item = item.layer
        if isinstance(item, LayerObj) and item not in model.members:
            model.members.append(item)


def _kind(value: Any) -> str:
    if isinstance(value, Unknown):
        return f"unknown value {value.what}"
    if isinstance(value, Tensor):
        return "a Keras tensor"
    if isinstance(value, LayerObj):
        return f"{value.class_name} '{value.name}'"
    if isinstance(value, Namespace):
        return value.path
    return f"'{type(value).__name__}'" if is_plain(value) else repr(value)


def _describe(value: Any) -> str:
    if isinstance(value, LayerObj):
        return f"<{value.class_name} name={value.name}>"
    return repr(value)


def _as_load(target: ast.expr) -> ast.expr:
    copy = ast.parse(ast.unparse(target), mode="eval").body
    return ast.copy_location(copy, target)


_COMPARE: dict[str, Any] = {
    "Eq": lambda a, b: a == b, "NotEq": lambda a, b: a != b, "Lt": lambda a, b: a < b,
    "LtE": lambda a, b: a <= b, "Gt": lambda a, b: a > b, "GtE": lambda a, b: a >= b,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
}  # fmt: skip


def _is_generator(fn: ast.FunctionDef) -> bool:
    # A nested def's yield counts too: rare, and refused either way.
    return any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in ast.walk(fn))


def _star_names(module: str) -> dict[str, Any]:
    """``from keras.layers import *`` and friends: the names that import binds."""
    if module == "keras.layers":
        names = {n: Namespace(f"keras.layers.{n}") for n in LAYERS}
        names.update({n: Namespace(f"keras.layers.{n}") for n in (
            "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot",
        )})  # fmt: skip
        names["Input"] = Namespace("keras.Input")
        names["Layer"] = Namespace("keras.Layer")
        return names
    if module == "keras.models":
        return {"Model": Namespace("keras.Model"), "Sequential": Namespace("keras.Sequential")}
    if module == "keras":
        return {n: Namespace(canonical(f"keras.{n}")) for n in (
            "Model", "Sequential", "Input", "layers", "models", "ops", "backend", "activations",
        )}  # fmt: skip
    return {}


def _builtins() -> dict[str, Any]:
    table: dict[str, Any] = {
        "range": _range, "len": _len, "list": _list_like(list), "tuple": _list_like(tuple),
        "set": _list_like(set), "enumerate": _enumerate, "zip": _zip, "reversed": _reversed,
        "map": _map, "filter": _filter, "print": _print, "isinstance": _isinstance,
        "super": _super, "hasattr": _hasattr,
        "int": _pure(int), "float": _pure(float), "str": _pure(str), "bool": _pure(bool),
        "abs": _pure(abs), "round": _pure(round), "divmod": _pure(divmod),
        "min": _pure(min), "max": _pure(max), "sum": _pure(sum, iterates=True),
        "any": _pure(any, iterates=True), "all": _pure(all, iterates=True),
        "sorted": _pure(sorted, iterates=True), "dict": _pure(dict), "repr": _pure(repr),
        "format": _pure(lambda v, spec="": format_value(v, spec, "")),
        "pow": _pure(lambda a, b: binop("Pow", a, b, "")),
        "chr": _pure(chr), "ord": _pure(ord), "hex": _pure(hex), "bin": _pure(bin),
    }  # fmt: skip
    return {name: Builtin(name, fn) for name, fn in table.items()}


BUILTINS = _builtins()
