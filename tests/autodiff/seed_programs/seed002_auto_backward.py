# Seed 002: backward automated through creator; only the imports differ from the seed.
import numpy as np
from exercises.autodiff import Variable, Square, Exp, Neg

x = Variable(np.array(1))
f1 = Square()
f2 = Neg()
f3 = Exp()
y = f3(f2(f1(x)))

y.grad = np.array(1)
y.backward()

print("x.grad: {:.3f}".format(x.grad))
print("-2x exp(-x^2): {:.3f}".format(-2*1*np.exp(-1**2)))
