# Seed 002: the first two programs (forward only); only the imports differ from the seed.
import numpy as np
from exercises.autodiff import Variable, Square, Exp, Neg

x = Variable(np.array(10))
f = Square()
y = f(x)

print(type(y))
print(y.data)

x = Variable(np.array(1))
f1 = Square()
f2 = Neg()
f3 = Exp()
y = f3(f2(f1(x)))

print("y.data: {:.3f}".format(y.data))
print("exp(-x^2): {:.3f}".format(np.exp(-1.**2)))
