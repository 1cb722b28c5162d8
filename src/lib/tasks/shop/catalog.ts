/**
 * The shop's catalogue: products of our own making (fictional brands), generated from a seed out of the product
 * types below. Each product has WebShop's fields: an ASIN-like id, a title, a category path, the search query it
 * belongs to, attributes, options, a price, a description, feature bullets and reviews.
 */
import { createRng } from '../random';

export interface Product {
  asin: string;
  title: string;
  /** Category path, levels joined with " › " as in WebShop. */
  category: string;
  /** The product type, e.g. "rain jacket" (WebShop's `query`). */
  query: string;
  /** The title's nouns (brand and product type), for WebShop's type reward. */
  nouns: string[];
  attributes: string[];
  /** Option name -> values, e.g. { color: ['navy', 'olive'], size: ['small', 'large'] }. */
  options: Record<string, string[]>;
  price: number;
  description: string;
  features: string[];
  rating: number;
  reviews: string[];
}

interface ProductType {
  query: string;
  nouns: string[];
  category: string;
  attributes: string[];
  options: Record<string, string[]>;
  price: [number, number];
  uses: string;
}

const TYPES: ProductType[] = [
  { query: 'rain jacket', nouns: ['rain', 'jacket'], category: 'Clothing, Shoes & Jewelry › Men › Clothing › Jackets & Coats', attributes: ['water resistant', 'hooded', 'packable', 'machine washable', 'breathable'], options: { color: ['black', 'navy blue', 'olive green', 'mustard yellow'], size: ['small', 'medium', 'large', 'x-large'] }, price: [25, 90], uses: 'wet commutes and weekend hikes' },
  { query: 'running shoes', nouns: ['running', 'shoes'], category: 'Clothing, Shoes & Jewelry › Women › Shoes › Athletic', attributes: ['non slip', 'lightweight', 'breathable', 'cushioned sole', 'wide fit'], options: { color: ['white', 'black', 'coral pink', 'slate grey'], size: ['6', '7', '8', '9', '10'] }, price: [30, 120], uses: 'road running and gym sessions' },
  { query: 't-shirt', nouns: ['t-shirt', 'shirt'], category: 'Clothing, Shoes & Jewelry › Men › Clothing › Shirts', attributes: ['100% cotton', 'short sleeve', 'machine washable', 'relaxed fit', 'moisture wicking'], options: { color: ['heather grey', 'white', 'forest green', 'burgundy'], size: ['small', 'medium', 'large', 'x-large'] }, price: [8, 35], uses: 'everyday wear' },
  { query: 'wool socks', nouns: ['wool', 'socks'], category: 'Clothing, Shoes & Jewelry › Women › Clothing › Socks', attributes: ['merino wool', 'cushioned', 'moisture wicking', 'odor resistant'], options: { color: ['charcoal', 'oatmeal', 'navy blue'], size: ['small', 'medium', 'large'], 'pack': ['3 pairs', '6 pairs'] }, price: [9, 40], uses: 'cold mornings and long walks' },
  { query: 'throw pillow cover', nouns: ['pillow', 'cover'], category: 'Home & Kitchen › Bedding › Decorative Pillows', attributes: ['hidden zipper', 'machine washable', 'linen blend', 'double sided'], options: { color: ['sage green', 'terracotta', 'ivory', 'dusty blue'], size: ['18 x 18 inch', '20 x 20 inch'] }, price: [7, 30], uses: 'sofas, beds and reading corners' },
  { query: 'bath towel set', nouns: ['bath', 'towel', 'set'], category: 'Home & Kitchen › Bath › Towels', attributes: ['quick drying', 'highly absorbent', 'organic cotton', 'oeko-tex certified'], options: { color: ['white', 'grey', 'seafoam', 'sand'], 'size': ['4 piece', '6 piece'] }, price: [20, 70], uses: 'family bathrooms and guest rooms' },
  { query: 'scented candle', nouns: ['candle'], category: 'Home & Kitchen › Home Décor › Candles', attributes: ['soy wax', 'long lasting', 'lead free wick', 'hand poured'], options: { scent: ['lavender', 'sea salt', 'cedarwood', 'vanilla'], size: ['8 oz', '14 oz'] }, price: [10, 40], uses: 'relaxing evenings' },
  { query: 'blackout curtains', nouns: ['curtains'], category: 'Home & Kitchen › Home Décor › Window Treatments', attributes: ['thermal insulated', 'noise reducing', 'machine washable', 'grommet top'], options: { color: ['charcoal', 'navy blue', 'beige', 'emerald'], size: ['52 x 63 inch', '52 x 84 inch'] }, price: [18, 60], uses: 'bedrooms and nurseries' },
  { query: 'shampoo', nouns: ['shampoo'], category: 'Beauty & Personal Care › Hair Care › Shampoo', attributes: ['sulfate free', 'paraben free', 'cruelty free', 'for dry hair', 'vegan'], options: { scent: ['coconut', 'tea tree', 'unscented'], size: ['8 fl oz', '16 fl oz'] }, price: [6, 30], uses: 'daily washing' },
  { query: 'face moisturizer', nouns: ['face', 'moisturizer'], category: 'Beauty & Personal Care › Skin Care › Face › Moisturizers', attributes: ['fragrance free', 'for sensitive skin', 'non comedogenic', 'with hyaluronic acid', 'cruelty free'], options: { size: ['1.7 oz', '3.4 oz'] }, price: [9, 45], uses: 'morning and night routines' },
  { query: 'lip balm', nouns: ['lip', 'balm'], category: 'Beauty & Personal Care › Skin Care › Lips', attributes: ['beeswax', 'spf 15', 'vegan', 'paraben free'], options: { flavor: ['mint', 'honey', 'cherry', 'unflavored'], 'pack': ['2 count', '4 count'] }, price: [3, 15], uses: 'dry and windy days' },
  { query: 'herbal tea', nouns: ['tea'], category: 'Grocery & Gourmet Food › Beverages › Tea', attributes: ['caffeine free', 'organic', 'non gmo', 'gluten free'], options: { flavor: ['chamomile', 'peppermint', 'rooibos', 'ginger lemon'], 'pack': ['20 bags', '50 bags'] }, price: [4, 22], uses: 'a calm cup before bed' },
  { query: 'granola bars', nouns: ['granola', 'bars'], category: 'Grocery & Gourmet Food › Snacks › Bars', attributes: ['gluten free', 'high protein', 'low sugar', 'vegan', 'nut free'], options: { flavor: ['peanut butter', 'dark chocolate', 'blueberry', 'oat honey'], 'pack': ['12 count', '24 count'] }, price: [6, 30], uses: 'lunch boxes and trail snacks' },
  { query: 'coffee beans', nouns: ['coffee', 'beans'], category: 'Grocery & Gourmet Food › Beverages › Coffee', attributes: ['whole bean', 'fair trade', 'organic', 'single origin', 'low acid'], options: { flavor: ['light roast', 'medium roast', 'dark roast'], size: ['12 oz', '2 lb'] }, price: [9, 40], uses: 'espresso and drip brewing' },
  { query: 'dark chocolate', nouns: ['chocolate'], category: 'Grocery & Gourmet Food › Snacks › Chocolate', attributes: ['70% cocoa', 'sugar free', 'dairy free', 'fair trade'], options: { flavor: ['sea salt', 'orange', 'almond', 'plain'], 'pack': ['3 bars', '6 bars'] }, price: [5, 28], uses: 'sharing and gifting' },
  { query: 'wireless earbuds', nouns: ['earbuds'], category: 'Electronics › Headphones › Earbud Headphones', attributes: ['noise cancelling', 'water resistant', 'long battery life', 'bluetooth 5.3', 'wireless charging case'], options: { color: ['black', 'white', 'midnight blue'] }, price: [20, 150], uses: 'commuting and workouts' },
  { query: 'phone case', nouns: ['phone', 'case'], category: 'Electronics › Cell Phones & Accessories › Cases', attributes: ['shockproof', 'slim', 'wireless charging compatible', 'raised edges'], options: { color: ['clear', 'black', 'lavender', 'forest green'], size: ['6.1 inch', '6.7 inch'] }, price: [6, 35], uses: 'everyday protection' },
  { query: 'usb-c cable', nouns: ['usb-c', 'cable'], category: 'Electronics › Computers & Accessories › Cables', attributes: ['fast charging', 'braided', 'data transfer', 'tangle free'], options: { color: ['black', 'white', 'red'], size: ['3 ft', '6 ft', '10 ft'], 'pack': ['1 pack', '3 pack'] }, price: [5, 25], uses: 'charging phones, tablets and laptops' },
  { query: 'bluetooth speaker', nouns: ['bluetooth', 'speaker'], category: 'Electronics › Portable Audio › Speakers', attributes: ['waterproof', 'portable', 'long battery life', 'deep bass', 'built-in microphone'], options: { color: ['black', 'teal', 'red', 'sand'] }, price: [25, 130], uses: 'beach days and backyard parties' },
  { query: 'yoga mat', nouns: ['yoga', 'mat'], category: 'Sports & Outdoors › Exercise & Fitness › Yoga › Mats', attributes: ['non slip', 'extra thick', 'eco friendly', 'with carrying strap'], options: { color: ['purple', 'teal', 'black', 'blush pink'], size: ['4mm', '6mm', '8mm'] }, price: [15, 60], uses: 'yoga, pilates and stretching' },
];

const BRANDS = ['Alderbrook', 'Brightwell', 'Cobalt & Pine', 'Dunmore', 'Everlark', 'Fennick', 'Glenhollow', 'Harrowgate', 'Ivybridge', 'Juniper Lane', 'Kestrel', 'Lumenfield', 'Marrowby', 'Northwick', 'Oakhaven', 'Pellwood', 'Quarry Hill', 'Rosslyn', 'Saltmarsh', 'Thistledown', 'Umberly', 'Vantry', 'Wrenfield', 'Yarrowby'];
const PRAISE = ['Does exactly what it promises.', 'Good value for the price.', 'Arrived quickly and well packed.', 'Better than the one I had before.', 'Would buy again.', 'Quality feels solid.'];
const GRIPES = ['Runs a little small.', 'The colour is slightly darker than pictured.', 'Packaging could be better.', 'Took a while to arrive.'];

export const CATALOG_SEED = 911;
const PRODUCTS_PER_TYPE = 11;

export function generateCatalog(seed = CATALOG_SEED): Product[] {
  const rng = createRng(seed);
  const products: Product[] = [];
  const asins = new Set<string>();
  const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  for (const type of TYPES) {
    for (let i = 0; i < PRODUCTS_PER_TYPE; i++) {
      let asin: string;
      do asin = 'B0' + Array.from({ length: 8 }, () => rng.pick(ALNUM.split(''))).join('');
      while (asins.has(asin));
      asins.add(asin);
      const brand = rng.pick(BRANDS);
      const attributes = rng.shuffle(type.attributes).slice(0, rng.int(2, 3));
      const options: Record<string, string[]> = {};
      for (const [name, values] of Object.entries(type.options)) {
        const chosen = rng.shuffle(values).slice(0, rng.int(Math.min(2, values.length), values.length));
        options[name] = values.filter((v) => chosen.includes(v));
      }
      const [lo, hi] = type.price;
      const price = Math.round((lo + rng.next() * (hi - lo)) * 100) / 100 - 0.01;
      const label = type.query.replace(/\b\w/g, (c) => c.toUpperCase());
      const title = `${brand} ${label}, ${attributes.map((a) => a.replace(/\b\w/g, (c) => c.toUpperCase())).join(', ')}`;
      const rating = Math.round((3 + rng.next() * 2) * 10) / 10;
      products.push({
        asin,
        title,
        category: type.category,
        query: type.query,
        nouns: [...brand.toLowerCase().split(/\s+|&/).filter(Boolean), ...type.nouns],
        attributes,
        options,
        price: Math.max(1.99, Math.round(price * 100) / 100),
        description: `The ${brand} ${type.query} is made for ${type.uses}. It is ${attributes.join(', ')}.`,
        features: [...attributes.map((a) => `${a[0].toUpperCase()}${a.slice(1)}`), `Designed by ${brand} for ${type.uses}`],
        rating,
        reviews: [rng.pick(PRAISE), rating < 4 ? rng.pick(GRIPES) : rng.pick(PRAISE)],
      });
    }
  }
  return products;
}

export const products: readonly Product[] = generateCatalog();
