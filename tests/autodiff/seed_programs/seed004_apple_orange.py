# Seed 004: apples and oranges with tax (MulLayer, AddLayer); only the imports differ from the seed.
from exercises.autodiff import MulLayer, AddLayer

# 変数を定義
apple = 100  # リンゴの単価
apple_num = 2  # リンゴの個数
orange = 150  # オレンジの単価
orange_num = 3  # オレンジの個数
tax = 1.1  # 消費税率(10%)

# 各レイヤーを作成
mul_apple_layer = MulLayer()  # リンゴの価格を計算するレイヤー
mul_orange_layer = MulLayer()  # オレンジの価格を計算するレイヤー
add_apple_orange_layer = AddLayer()  # リンゴとオレンジの価格を合算するレイヤー
mul_tax_layer = MulLayer()  # 税込価格を計算するレイヤー

# 順伝播(forward)
apple_price = mul_apple_layer.forward(apple, apple_num)  # (1) リンゴの価格を計算
orange_price = mul_orange_layer.forward(orange, orange_num)  # (2) オレンジの価格を計算
all_price = add_apple_orange_layer.forward(apple_price, orange_price)  # (3) リンゴとオレンジの価格を合算
price = mul_tax_layer.forward(all_price, tax)  # (4) 税込み価格を計算

# 逆伝播(backward)
dprice = 1  # 価格の微分
dall_price, dtax = mul_tax_layer.backward(dprice)  # (4) 税込み価格に対する各変数の微分を計算
dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)  # (3) 合計価格に対する各変数の微分を計算
dorange, dorange_num = mul_orange_layer.backward(dorange_price)  # (2) オレンジ価格に対する各変数の微分を計算
dapple, dapple_num = mul_apple_layer.backward(dapple_price)  # (1) リンゴ価格に対する各変数の微分を計算

# 結果を出力
print("price:", int(price))  # 税込み価格
print("dApple:", dapple)  # リンゴ単価の微分
print("dApple_num:", int(dapple_num))  # リンゴ個数の微分
print("dOrange:", dorange)  # オレンジ単価の微分
print("dOrange_num:", int(dorange_num))  # オレンジ個数の微分
print("dTax:", dtax)  # 消費税率の微分
