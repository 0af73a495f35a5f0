import pg from 'pg';
import { openDatabase } from '../../db/client.ts';
import { TEMPLATE_DATABASE, withDatabase } from './database.ts';

/**
 * With DATABASE_URL set, migrates one template database; each test file then gets a
 * fresh copy of it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const template = await openDatabase({ kind: 'postgres', url: withDatabase(url, TEMPLATE_DATABASE) });
  await template.migrate();
  await template.close();
}
