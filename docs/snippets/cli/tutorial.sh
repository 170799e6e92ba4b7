# From the root of the repository:
headwater pipeline execute -f docs/snippets/tutorial_orders.py --preset test
headwater pipeline execute -f docs/snippets/tutorial_orders.py --mode test -c docs/snippets/config/tutorial_day.yaml
ORDERS_DB=orders.db headwater pipeline execute -f docs/snippets/tutorial_orders.py --preset local
headwater pipeline list -f docs/snippets/tutorial_orders.py
headwater pipeline print -f docs/snippets/tutorial_orders.py --verbose
