"""The Jinja2 environments of the pages: templates from the package, autoescaped, strict about
undefined names, compiled once at import, one environment per language.

The QR page is the service's hot path (see docs/verification.md), so two things are settled
when a template compiles rather than on every request:
- `t.<key>`, a text of the catalogue (PAGE in service/texts.py), becomes the text itself,
  escaped once with the markup around it; a key the catalogue lacks fails the import, not a
  request;
- every printed value goes through `escape_value`, which escapes exactly as markupsafe does
  but builds no Markup object for a plain string: markupsafe's `escape()` was half of the
  time of rendering a result page.
`render()` is then a dict get and the rendering of the page's variables."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, TemplateSyntaxError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.nodes import Expr
from jinja2.runtime import Macro
from markupsafe import Markup, escape

from service.web.assets import STAFF_STYLESHEET, STYLESHEET
from service.web.texts import PAGE
from verifier.result import Lang

try:  # markupsafe's own escaping of a str (in C), without the Markup its escape() wraps it in
    from markupsafe import _escape_inner as _escape_str  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a markupsafe that moved it: the same five characters
    from html import escape as _escape_str

LANGUAGES: Final[tuple[Lang, ...]] = ("vi", "en")


def escape_value(value: object) -> str:
    """What a template prints: a str escaped, a Markup as it is (markupsafe.escape would copy
    it), anything else (numbers, enums, Undefined) through markupsafe.escape."""
    kind = type(value)
    if kind is str:
        return _escape_str(value)  # type: ignore[arg-type]
    if kind is Markup:
        return value  # type: ignore[return-value]
    return escape(value)


class _CodeGenerator(CodeGenerator):
    """Prints autoescaped values through `escape_value` instead of markupsafe.escape. Should a
    later Jinja2 not call this hook, templates fall back to markupsafe.escape: slower, as safe."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_value(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class PageEnvironment(Environment):
    code_generator_class = _CodeGenerator
    escape_value = staticmethod(escape_value)


def _texts_in(lang: Lang) -> type[Extension]:
    texts = {key: pair[LANGUAGES.index(lang)] for key, pair in PAGE.items()}

    class Texts(Extension):
        """`t.<key>` in a template is the catalogue's text in this environment's language."""

        def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
            after_dot = False
            for token in stream:
                if token.test("name:t") and not after_dot and stream.current.test("dot"):
                    next(stream)
                    key = next(stream)
                    if not key.test("name") or key.value not in texts:
                        raise TemplateSyntaxError(
                            f"t.{key.value}: no such text in PAGE of service/texts.py",
                            token.lineno,
                            stream.name,
                            stream.filename,
                        )
                    # A string constant: the compiler escapes it once, with the text around it.
                    token = Token(token.lineno, "string", texts[key.value])
                after_dot = token.test("dot")
                yield token

    return Texts


def _environment(lang: Lang) -> PageEnvironment:
    environment = PageEnvironment(
        loader=PackageLoader("service.web", "templates"),
        autoescape=True,  # every template is HTML
        undefined=StrictUndefined,  # a misspelt name fails the render (and the tests)
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[_texts_in(lang)],
        auto_reload=False,  # no stat() of the template files on every render
        cache_size=-1,  # a plain dict, no LRU: `extends` finds base.html with a dict get
    )
    # Only what the templates use: every render copies the globals into its context.
    environment.globals.clear()
    environment.globals.update(
        lang=lang, stylesheet=STYLESHEET.url, staff_stylesheet=STAFF_STYLESHEET.url
    )
    # The macros of _macros.html are globals of every template: a `{% from ... import %}` in
    # each page cost every render about 3 µs, a tenth of the QR page's.
    macros = vars(environment.get_template("_macros.html").module)
    environment.globals.update({k: v for k, v in macros.items() if isinstance(v, Macro)})
    return environment


ENVIRONMENTS: Final[Mapping[Lang, PageEnvironment]] = {
    lang: _environment(lang) for lang in LANGUAGES
}
# Every template, compiled now (base.html too: `extends` then only looks it up).
TEMPLATES: Final[Mapping[Lang, Mapping[str, Template]]] = {
    lang: {name: env.get_template(name) for name in env.list_templates(extensions="html")}
    for lang, env in ENVIRONMENTS.items()
}


GLOBALS: Final[Mapping[Lang, Mapping[str, Any]]] = {
    lang: dict(env.globals) for lang, env in ENVIRONMENTS.items()
}


def render(page: str, lang: Lang, /, **context: Any) -> str:
    """Renders `page` (e.g. result.html) in `lang`. Every variable a template uses must be
    given: a missing one raises jinja2.UndefinedError.

    As Template.render does, but the globals are merged into a fresh dict here and the
    context shares it (new_context(shared=True)): Jinja would copy the globals into a new
    dict of its own, a quarter of the QR page's render."""
    template = TEMPLATES[lang][page]
    variables = {**GLOBALS[lang], **context}
    try:
        return "".join(template.root_render_func(template.new_context(variables, shared=True)))
    except Exception:
        return template.environment.handle_exception()
