"""Domain core: autodiff engine, numerical differentiation, expression language,
exercise templates and grading. Pure Python + numpy; imports nothing from the web layer."""
