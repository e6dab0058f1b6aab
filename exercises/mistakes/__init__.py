"""The mistakes of the training and architecture families, one module per family; ``TRAINING`` lists them all
for exercises.misconceptions (the catalogue every grader names mistakes from)."""
from . import (activations, cnn, descent, framework, initialization, nodes, normalization, optimizers,
               regularization, rnn)

TRAINING = [*optimizers.MISTAKES, *descent.MISTAKES, *regularization.MISTAKES,
            *initialization.MISTAKES, *normalization.MISTAKES, *cnn.MISTAKES, *rnn.MISTAKES,
            *activations.MISTAKES, *nodes.MISTAKES, *framework.MISTAKES]
