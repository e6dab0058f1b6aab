"""The mistakes of the training families, one module per family; ``TRAINING`` lists them all
for exercises.misconceptions (the catalogue every grader names mistakes from)."""
from . import descent, initialization, normalization, optimizers, regularization

TRAINING = [*optimizers.MISTAKES, *descent.MISTAKES, *regularization.MISTAKES,
            *initialization.MISTAKES, *normalization.MISTAKES]
