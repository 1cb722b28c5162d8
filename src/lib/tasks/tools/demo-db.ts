/** The SQL tool's demo database: a small bookshop (authors, books, orders) of this project's own making. */
import { openDatabase, type SqlDatabase } from '../../runtimes/sqlite';

export const DEMO_SCHEMA = `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT, country TEXT, born INTEGER);
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, author_id INTEGER REFERENCES authors(id), year INTEGER, price REAL, stock INTEGER);
CREATE TABLE orders (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books(id), quantity INTEGER, order_date TEXT);`;

const DATA = `INSERT INTO authors VALUES
 (1, 'Mara Lindqvist', 'Sweden', 1948), (2, 'Tomás Ferreira', 'Portugal', 1932), (3, 'Aiko Tanabe', 'Japan', 1971),
 (4, 'Oluwaseun Adeyemi', 'Nigeria', 1965), (5, 'Greta Hollis', 'Canada', 1925);
INSERT INTO books VALUES
 (1, 'The Salt Orchard', 1, 1979, 14.50, 12), (2, 'Winter Ledger', 1, 1988, 11.00, 0),
 (3, 'Harbour of Clocks', 2, 1961, 9.75, 5), (4, 'Letters to Lisbon', 2, 1949, 12.25, 3),
 (5, 'Paper Lanterns', 3, 2003, 16.00, 20), (6, 'The Quiet Engine', 3, 2011, 18.50, 7),
 (7, 'Red Earth Songs', 4, 1994, 13.00, 9), (8, 'Northern Lights Atlas', 5, 1947, 22.00, 2),
 (9, 'Frost and Fable', 5, 1938, 8.50, 4), (10, 'The Last Ferry', 4, 2015, 15.25, 11);
INSERT INTO orders VALUES
 (1, 5, 2, '2024-02-28'), (2, 1, 1, '2024-03-02'), (3, 6, 3, '2024-03-05'), (4, 10, 1, '2024-03-11'),
 (5, 5, 4, '2024-03-19'), (6, 8, 1, '2024-03-30'), (7, 3, 2, '2024-04-01'), (8, 7, 5, '2024-04-09');`;

export async function openDemoDatabase(): Promise<SqlDatabase> {
  const db = await openDatabase();
  db.exec(DEMO_SCHEMA);
  db.exec(DATA);
  return db;
}
