import pytest

from exercises.autodiff import BackwardRules, Mul, Variable, functions as F, trace


def shopping():
    apple, num, tax = Variable(100.0, "apple"), Variable(2.0, "apple_num"), Variable(1.1, "tax")
    price = apple * num * tax
    price.name = "price"
    return price, (apple, num, tax)


def test_trace_lists_nodes_in_topological_order_with_values_and_grads():
    price, _ = shopping()
    price.backward(retain_grad=True)
    t = trace(price)
    assert [(n.id, n.op, n.inputs, n.name) for n in t.nodes] == [
        ("n0", "input", (), "apple"), ("n1", "input", (), "apple_num"),
        ("n2", "mul", ("n0", "n1"), None), ("n3", "input", (), "tax"),
        ("n4", "mul", ("n2", "n3"), "price")]
    assert float(t.by_name("tax").grad) == 200.0
    assert float(t.node("n2").grad) == pytest.approx(1.1)
    assert t.outputs == ("n4",)
    assert ("n2", "n4") in t.edges


def test_same_expression_gives_same_ids_and_dict():
    a, b = shopping()[0], shopping()[0]
    assert trace(a).to_dict() == trace(b).to_dict()


def test_trace_of_a_deep_chain_is_iterative():
    x = Variable(0.1, "x")
    y = x
    for _ in range(5000):
        y = F.sin(y)
    assert len(trace(y).nodes) == 5001


def test_shared_node_appears_once():
    a, b = Variable(2.0, "a"), Variable(1.0, "b")
    c = a + b
    e = c * (b + 1)
    t = trace(e)
    assert [n.name for n in t.nodes if n.op == "input"] == ["a", "b"]
    assert len(t.nodes) == 5  # a, b, c, b+1 (the constant 1 is kept on its node), e
    assert t.nodes[3].op == "add" and t.nodes[3].const == 1 and t.to_dict()["nodes"][3]["const"] == 1


def test_rules_can_replace_a_local_rule_mul_without_swapping():
    price, (apple, num, tax) = shopping()
    no_swap = BackwardRules({Mul: lambda f, gy: (gy * f.inputs[0].data, gy * f.inputs[1].data)})
    price.backward(rules=no_swap)
    # d price / d apple with the inputs not swapped: gy_at_mul1 * apple, gy_at_mul1 = 1 * price_before_tax
    assert float(apple.grad) == pytest.approx(200.0 * 100.0)


def test_rules_can_overwrite_fan_out_instead_of_summing():
    x = Variable(3.0)
    y = x * x + x  # true gradient 2x + 1 = 7
    y.backward(rules=BackwardRules(overwrite_fanout=True))
    assert float(x.grad) != 7.0
    x.cleargrad()
    y = x * x + x
    y.backward()
    assert float(x.grad) == 7.0
