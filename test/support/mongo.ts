import mongoose from 'mongoose';

export interface TestMongoDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the server MONGO_URL names, so parallel suites never see each other's documents (on FerretDB
 * a database is a PostgreSQL schema). The server's own query string (replicaSet, auth) is kept.
 */
export function createTestMongoDatabase(serverUrl: string, label: string): TestMongoDatabase {
  const name = `errand_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const connection = await mongoose.createConnection(url.toString()).asPromise();
      try {
        await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    },
  };
}
