# Seed 004: apples with tax (MulLayer); only the imports differ from the seed.
from exercises.autodiff import MulLayer, AddLayer

# 変数を定義
apple = 100  # リンゴの単価
apple_num = 2  # リンゴの個数
tax = 1.1  # 消費税率(10%)

# MulLayer クラスのインスタンスを生成
mul_apple_layer = MulLayer()  # リンゴの価格を計算するレイヤー
mul_tax_layer = MulLayer()  # 税込価格を計算するレイヤー

# 順伝播(forward)
# リンゴの価格を計算(リンゴの単価 × リンゴの個数)
apple_price = mul_apple_layer.forward(apple, apple_num)
# 税込み価格を計算(リンゴの価格 × 消費税率)
price = mul_tax_layer.forward(apple_price, tax)

# 逆伝播(backward)
dprice = 1  # 価格の微分
# 税込み価格に対するリンゴ価格と消費税率の微分を計算
dapple_price, dtax = mul_tax_layer.backward(dprice)
# リンゴ価格に対するリンゴ単価とリンゴ個数の微分を計算
dapple, dapple_num = mul_apple_layer.backward(dapple_price)

# 結果を出力
print("price:", int(price))  # 税込み価格
print("dApple:", dapple)  # リンゴ単価の微分
print("dApple_num:", int(dapple_num))  # リンゴ個数の微分
print("dTax:", dtax)  # 消費税率の微分
