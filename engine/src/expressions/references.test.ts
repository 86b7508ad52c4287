import { describe, expect, it } from 'vitest';
import { checkFeel, compileFeel } from './compile.ts';
import type { FeelScope } from './types.ts';

const scope: FeelScope = {
  variables: {
    amount: 'number',
    discount: 'number',
    status: 'string',
    items: 'list',
    customer: 'context',
    close_date: 'date',
    closed_at: 'date and time',
    quantity: 'number',
    unit_price: 'number',
  },
};

const references = (source: string, s: FeelScope = scope) => compileFeel(source, s).references;
const problems = (source: string, s: FeelScope = scope) => checkFeel(source, s);

describe('references', () => {
  it('lists the scope variables read, sorted and unique', () => {
    expect(references('unit_price * quantity * (1 - discount) + unit_price')).toEqual([
      'discount',
      'quantity',
      'unit_price',
    ]);
    expect(references('1 + 2')).toEqual([]);
    expect(references('if status = "won" then amount else 0')).toEqual(['amount', 'status']);
  });

  it('counts only the target of a path, not the segments after the dot', () => {
    expect(references('customer.name')).toEqual(['customer']);
    expect(references('customer.address.city = "Berlin"')).toEqual(['customer']);
    expect(problems('customer.amout')).toEqual([]);
  });

  it('sees through function calls, lists, ranges and comparisons', () => {
    expect(references('sum([amount, discount])')).toEqual(['amount', 'discount']);
    expect(references('amount in [1..quantity]')).toEqual(['amount', 'quantity']);
    expect(references('amount between discount and quantity')).toEqual(['amount', 'discount', 'quantity']);
    expect(references('close_date > today()')).toEqual(['close_date']);
    expect(references('(today() - close_date).days > 30')).toEqual(['close_date']);
    expect(references('string length(status) > 3 and not(amount > 1)')).toEqual(['amount', 'status']);
    expect(references('amount instance of number')).toEqual(['amount']);
  });
});

describe('bound names are not free variables', () => {
  it('for … in … return', () => {
    expect(problems('for x in items return x * amount')).toEqual([]);
    expect(references('for x in items return x * amount')).toEqual(['amount', 'items']);
    expect(references('for x in items, y in x return y')).toEqual(['items']);
    expect(references('for i in 1..quantity return i')).toEqual(['quantity']);
    expect(problems('for i in 1..3 return if i = 1 then 1 else partial[-1] * i')).toEqual([]);
  });

  it('a bound name shadows a field', () => {
    expect(references('for amount in items return amount')).toEqual(['items']);
  });

  it('a name is bound only after its own "in"', () => {
    expect(problems('for x in x return x')).toMatchObject([{ kind: 'unknown-variable', from: 9, to: 10 }]);
  });

  it('some / every … satisfies', () => {
    expect(problems('some x in items satisfies x > amount')).toEqual([]);
    expect(references('every x in items satisfies x.price > amount')).toEqual(['amount', 'items']);
    expect(problems('some x in items satisfies y > 1')).toMatchObject([
      { kind: 'unknown-variable', from: 26, to: 27 },
    ]);
  });

  it('function parameters', () => {
    expect(problems('sort(items, function(a, b) a < b)')).toEqual([]);
    expect(references('(function(rate) amount * rate)(0.2)')).toEqual(['amount']);
    expect(problems('(function(rate) amount * rat)(0.2)')).toMatchObject([
      { kind: 'unknown-variable', message: 'Unknown variable "rat" (did you mean "rate"?)' },
    ]);
  });

  it('context entries, visible to later entries only', () => {
    expect(references('{ net: amount * (1 - discount), gross: net * 1.19 }.gross')).toEqual([
      'amount',
      'discount',
    ]);
    expect(problems('{ "net total": 1, b: 2 }.b')).toEqual([]);
    expect(problems('{ a: b, b: 1 }')).toMatchObject([{ kind: 'unknown-variable', from: 5, to: 6 }]);
  });

  it('functions defined in a context can be called', () => {
    expect(problems('{ tax: function(x) x * 0.19, total: amount + tax(amount) }.total')).toEqual([]);
    expect(problems('{ f: function(x) x + 1 }.f(amount)')).toEqual([]);
  });

  it('item inside a filter', () => {
    expect(problems('items[item > 1]')).toEqual([]);
    expect(references('items[item > amount]')).toEqual(['amount', 'items']);
    expect(problems('[1, 2, 3][item > 1]')).toEqual([]);
    expect(problems('item > 1')).toMatchObject([
      { kind: 'unknown-variable', message: 'Unknown variable "item" (did you mean "items"?)' },
    ]);
  });

  it('element properties inside a filter on a list that may hold contexts', () => {
    expect(problems('items[price > 100].name')).toEqual([]);
    expect(references('count(items[price > amount])')).toEqual(['amount', 'items']);
    expect(problems('[{ price: 1 }][price > 0]')).toEqual([]);
  });

  it('but not on a list that holds only plain values', () => {
    expect(problems('[1, 2, 3][price > 1]')).toMatchObject([{ kind: 'unknown-variable', from: 10, to: 15 }]);
    expect(problems('amount[price > 1]')).toMatchObject([{ kind: 'unknown-variable' }]);
  });

  it('named parameters', () => {
    expect(problems('substring(string: status, start position: 2)')).toEqual([]);
    expect(references('round half up(n: amount, scale: 2)')).toEqual(['amount']);
  });
});

describe('unknown names', () => {
  it('reports an unknown variable with its position and a suggestion', () => {
    expect(problems('amount > 1 and statsu = "open"')).toEqual([
      {
        kind: 'unknown-variable',
        message: 'Unknown variable "statsu" (did you mean "status"?)',
        from: 15,
        to: 21,
      },
    ]);
    expect(problems('zzz + 1')).toEqual([
      { kind: 'unknown-variable', message: 'Unknown variable "zzz"', from: 0, to: 3 },
    ]);
  });

  it('reports every unknown name', () => {
    expect(problems('a + b + amount + c').map((p) => [p.from, p.to])).toEqual([
      [0, 1],
      [4, 5],
      [17, 18],
    ]);
  });

  it('reports an unknown function', () => {
    expect(problems('foo(amount)')).toEqual([
      { kind: 'unknown-function', message: 'Unknown function "foo"', from: 0, to: 3 },
    ]);
    expect(problems('summ(items)')).toEqual([
      { kind: 'unknown-function', message: 'Unknown function "summ" (did you mean "sum"?)', from: 0, to: 4 },
    ]);
    expect(problems('string lenght(status)')[0]).toMatchObject({ kind: 'unknown-function' });
  });

  it('accepts every builtin, including spaced names and date constructors', () => {
    for (const source of [
      'sum(items)',
      'count(items)',
      'string length(status)',
      'upper case(status)',
      'round half up(amount, 2)',
      'date("2024-01-01")',
      'date and time("2024-01-01T00:00:00Z")',
      'duration("P1D")',
      'years and months duration(close_date, today())',
      'now()',
      'today()',
      'day of week(close_date)',
      'decimal(amount, 2)',
      'get value(customer, "name")',
      'context put(customer, "x", 1)',
      'list contains(items, 1)',
      'is(amount, 1)',
    ]) {
      expect(problems(source), source).toEqual([]);
    }
  });

  it('calling a field is an error: fields hold data', () => {
    expect(problems('amount(1)')).toEqual([
      { kind: 'unknown-function', message: '"amount" is a field, not a function', from: 0, to: 6 },
    ]);
    expect(problems('customer.name(1)')).toMatchObject([{ kind: 'unknown-function', from: 0, to: 13 }]);
  });

  it('a field named like a builtin is readable, but hides the builtin from calls', () => {
    const withCount: FeelScope = { variables: { count: 'number', items: 'list' } };
    expect(references('count > 1', withCount)).toEqual(['count']);
    expect(compileFeel('count > 1', withCount).evaluate({ count: 2 }).value).toBe(true);
    expect(problems('count(items)', withCount)).toMatchObject([
      {
        kind: 'unknown-function',
        from: 0,
        to: 5,
        message: expect.stringContaining('hides the FEEL function count()'),
      },
    ]);
  });

  it('rejects "?" outside unary tests', () => {
    expect(problems('?')).toMatchObject([{ kind: 'unknown-variable', from: 0, to: 1 }]);
  });
});

describe('field names that are FEEL words', () => {
  it('a field named like a contextual keyword works as a value and keeps the keyword working', () => {
    const s: FeelScope = { variables: { date: 'date', time: 'string', list: 'list', context: 'context' } };
    expect(references('date > today()', s)).toEqual(['date']);
    expect(compileFeel('date < date("2024-06-01")', s).evaluate({ date: '2024-01-01' }).value).toBe(true);
    expect(references('date("2024-01-01") < today()', s)).toEqual([]);
    expect(compileFeel('count(list)', s).evaluate({ list: [1, 2] }).value).toBe(2);
  });

  it('a reserved word in the scope does not break the grammar', () => {
    const s: FeelScope = { variables: { in: 'number', for: 'number', items: 'list' } };
    expect(problems('for x in items return x', s)).toEqual([]);
    expect(compileFeel('for x in items return x + 1', s).evaluate({ items: [1] }).value).toEqual([2]);
    // but such a field can't be referenced: the definitions must not allow the name
    expect(problems('in + 1', s)[0]).toMatchObject({ kind: 'syntax' });
  });

  it('names are matched as own keys only', () => {
    expect(problems('toString + 1')).toMatchObject([{ kind: 'unknown-variable' }]);
    expect(problems('hasOwnProperty(1)')).toMatchObject([{ kind: 'unknown-function' }]);
  });
});
