UPDATE accounts SET balance_cents = balance * 100;
