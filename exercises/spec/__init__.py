"""The template format: loading and validation (see docs/templates.md)."""
from .model import ParamSpec, PartSpec, Precision, Template
from .problems import Problem, TemplateError
from .validate import load_template

__all__ = ["load_template", "Template", "TemplateError", "Problem", "ParamSpec", "PartSpec", "Precision"]
