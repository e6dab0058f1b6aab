# Seed 002: backward by hand, function by function; only the imports differ from the seed.
import numpy as np
from exercises.autodiff import Variable, Square, Exp, Neg

x = Variable(np.array(1))
f1 = Square()
f2 = Neg()
f3 = Exp()
a = f1(x)
b = f2(a)
y = f3(b)

y.grad = np.array(1)
b.grad = f3.backward(y.grad)
a.grad = f2.backward(b.grad)
x.grad = f1.backward(a.grad)

print("x.grad: {:.3f}".format(x.grad))
print("-2x exp(-x^2): {:.3f}".format(-2*1*np.exp(-1**2)))
