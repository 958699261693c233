package dev.tandem.exec;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the executor gets its connections to the target database: one for the run lock, held for
 * the whole run, and one for the work. Each call opens a new connection, which the executor closes.
 */
@FunctionalInterface
public interface ConnectionFactory {
    Connection connect() throws SQLException;

    static ConnectionFactory of(DataSource dataSource) {
        return dataSource::getConnection;
    }
}
