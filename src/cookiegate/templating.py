"""The Jinja2 environment that renders every visitor-facing page and fragment.

Sites restyle or reword cookiegate by putting their own ``cookiegate/banner.html``
(or any other template) in a directory of their own; that directory is searched
first and the package's templates fill in the rest, so an override can be one file.
Autoescaping is always on, because service titles, descriptions and texts come from
configuration files that may be edited by people who do not think about HTML.
"""

from __future__ import annotations

import os
import warnings

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)


def make_environment(templates_dir: str | None = None) -> Environment:
    """A Jinja2 environment: ``templates_dir`` first (if given), then the built-ins.

    A ``templates_dir`` that does not exist is almost certainly a deployment mistake
    (a relative path resolved from another working directory), so it warns rather
    than silently rendering the built-in look.
    """
    loaders: list[BaseLoader] = []
    if templates_dir is not None:
        if not os.path.isdir(templates_dir):
            warnings.warn(
                f"cookiegate templates_dir {templates_dir!r} is not a directory; "
                "the built-in templates will be used.",
                stacklevel=2,
            )
        loaders.append(FileSystemLoader(templates_dir))
    loaders.append(PackageLoader("cookiegate", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        # A variable a template expects but the view forgot is a bug to see in tests,
        # not an empty string in front of a visitor.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
