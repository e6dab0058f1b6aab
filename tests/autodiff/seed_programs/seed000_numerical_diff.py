# Seed 000 (DeZero step 4), cells [3] and [4]; only the imports differ from the seed.
import numpy as np
from exercises.autodiff import Variable, Square, Exp, numerical_diff

f = Square()
x = Variable(np.array(2.0))
dy = numerical_diff(f, x)
print(dy)


def f(x):
    A = Square()
    B = Exp()
    C = Square()
    return C(B(A(x)))


x = Variable(np.array(0.5))
dy = numerical_diff(f, x)
print(dy)
